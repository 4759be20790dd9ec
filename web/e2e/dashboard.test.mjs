// The managers' dashboard in Chromium (docs/managers.md), against a real
// server with the demo community: Anna manages Binnenstad, Emma waits for
// approval there, Henk is a resident.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, shot, useServerAndBrowser } from './harness.mjs';

const { base, newContext } = useServerAndBrowser();

// The dashboard as the API gives it to the page's own session.
const fetchDashboard = (p, id) =>
  p.evaluate(async (hood) => (await fetch(`/api/v1/neighbourhoods/${hood}/dashboard`)).json(), id);

test('a manager opens the dashboard from the manage page and sees what waits', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await login(p, base(), 'anna@example.org');
    await p.goto(base() + '/neighbourhoods/1/manage');
    await p.getByRole('link', { name: 'Wat vraagt aandacht?' }).click();
    await p.getByRole('heading', { level: 1, name: 'Wat vraagt aandacht in Binnenstad?' }).waitFor();
    const { dashboard: d } = await fetchDashboard(p, 1);

    const asks = p.getByRole('region', { name: /Vragen zonder reactie/ });
    await asks.waitFor();
    assert.equal((await asks.locator('h2 .badge').textContent()).trim(), String(d.unanswered_asks.total));
    assert.equal(await asks.getByRole('listitem').count(), d.unanswered_asks.posts.length);
    if (d.unanswered_asks.posts.length > 0) {
      await asks.getByRole('link', { name: d.unanswered_asks.posts[0].title }).waitFor();
    }

    // Emma asked to join: a manager sees her name and the way to approve.
    const join = p.getByRole('region', { name: /Wachten op goedkeuring/ });
    assert.ok(d.join_requests.members.some((m) => m.user.display_name === 'Emma Maas'));
    await join.getByText('Emma Maas').waitFor();
    await join.getByRole('link', { name: 'Naar het beheer om goed te keuren' }).waitFor();
    await p.getByRole('region', { name: /Open meldingen/ }).waitFor();
    await p.getByRole('region', { name: /Nieuwe buren om te verwelkomen/ }).waitFor();
    const page = await p.content();
    assert.ok(!page.includes('@example.org'), 'no email addresses');
    await axe(p, 'dashboard');
    await shot(p, 'dashboard');

    await p.getByRole('button', { name: 'Switch to English' }).click();
    await p.getByRole('heading', { level: 1, name: 'What needs attention in Binnenstad?' }).waitFor();
    await p.getByRole('region', { name: /Asks without a response/ }).waitFor();
    await axe(p, 'dashboard in English');
  } finally {
    await ctx.close();
  }
});

test('a resident opts in as a connector and sees it, without names of join requests or reports, and opts out', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await login(p, base(), 'henk@example.org');
    // The feed leads a resident who is no connector to the opt-in.
    await p.goto(base() + '/neighbourhoods/1');
    await p.locator('p.links').getByRole('link', { name: 'Word verbinder' }).click();
    await p.waitForURL('**/neighbourhoods/1/dashboard');
    await p.getByText('Deze pagina is voor de beheerders en verbinders van de buurt.').waitFor();
    await axe(p, 'dashboard for a resident who is no connector');

    // Henk opts in on the page itself; then the menu leads him here.
    await p.getByRole('button', { name: 'Word verbinder' }).click();
    await p.getByRole('status').getByText('Je bent nu verbinder van de buurt.').waitFor();
    await p.getByRole('navigation').getByRole('link', { name: 'Aandacht' }).waitFor();
    const join = p.getByRole('region', { name: /Wachten op goedkeuring/ });
    await join.waitFor();
    await join.getByText('Goedkeuren doen de beheerders.').waitFor();
    assert.equal(await join.getByText('Emma Maas').count(), 0);
    assert.equal(await p.getByRole('region', { name: /Open meldingen/ }).count(), 0);
    const { dashboard: d } = await fetchDashboard(p, 1);
    assert.equal(d.open_reports, undefined);
    assert.equal(d.join_requests.members, undefined);
    assert.equal((await join.locator('h2 .badge').textContent()).trim(), String(d.join_requests.total));
    await axe(p, 'dashboard for a connector');

    // And out again: the page is closed to him, the menu link gone.
    await p.getByRole('button', { name: 'Stop als verbinder' }).click();
    await p.getByText('Deze pagina is voor de beheerders en verbinders van de buurt.').waitFor();
    await p.getByRole('button', { name: 'Word verbinder' }).waitFor();
    assert.equal(await p.getByRole('navigation').getByRole('link', { name: 'Aandacht' }).count(), 0);
  } finally {
    await ctx.close();
  }
});
