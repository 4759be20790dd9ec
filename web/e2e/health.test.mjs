// The neighbourhood's health page in Chromium, against a real server with
// the demo community (whose exchanges all happened this month).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, useServerAndBrowser } from './harness.mjs';

const { base, newContext } = useServerAndBrowser();

test('a member sees the tie figures as bars, with the numbers in a table, in Dutch and English', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await login(p, base(), 'henk@example.org');
    const link = p.getByRole('navigation').getByRole('link', { name: 'Hoe gaat het?' });
    const href = await link.getAttribute('href');
    const hoodId = href.split('/')[2];
    await link.click();
    await p.getByRole('heading', { level: 1, name: 'Hoe gaat het in Binnenstad?' }).waitFor();

    // What the API says, fetched with the page's own session.
    const report = await p.evaluate(async (id) => (await fetch(`/api/v1/neighbourhoods/${id}/health`)).json(), hoodId);
    assert.equal(report.months.length, 12);
    assert.equal(report.suppressed_below, null);
    const current = report.months.at(-1);
    assert.ok(current.new_ties > 0, 'the demo has exchanges this month');

    const card = p.getByRole('region', { name: 'Nieuwe banden' });
    await card.waitFor();
    assert.equal((await card.locator('.big').textContent()).trim(), String(current.new_ties));
    const withBars = report.months.filter((m) => m.new_ties > 0).length;
    assert.equal(await card.locator('svg rect.bar').count(), withBars);
    await card.getByText('De getallen per maand').click();
    const rows = card.getByRole('table').getByRole('row');
    assert.equal(await rows.count(), 13); // a header and 12 months
    await axe(p, 'health');

    // The asks are shares: the page shows the percentage with its parts.
    const answered = current.asks_answered_within_48h;
    const asks = p.getByRole('region', { name: 'Vragen binnen 48 uur beantwoord' });
    const big = (await asks.locator('.big').textContent()).trim();
    if (answered.denominator > 0) {
      assert.ok(big.includes(`(${answered.numerator} van ${answered.denominator})`), big);
    } else {
      assert.equal(big, 'geen vragen');
    }

    await p.getByRole('button', { name: 'Switch to English' }).click();
    await p.getByRole('heading', { level: 1, name: 'How is Binnenstad doing?' }).waitFor();
    await p.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
    await p.getByRole('region', { name: 'New ties' }).waitFor();
    await p.getByRole('region', { name: 'Bridges to other neighbourhoods' }).waitFor();
    await axe(p, 'health in English');
  } finally {
    await ctx.close();
  }
});
