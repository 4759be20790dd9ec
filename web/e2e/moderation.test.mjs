// Reporting and moderation in Chromium, against a real server with the demo
// community: a resident reports, a manager handles it in the queue, everyone
// reads the log; house rules written with a preview and read on joining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axe, login, register, shot, uniq, useServerAndBrowser } from './harness.mjs';

const { base, newContext } = useServerAndBrowser();

test('a resident reports a post, a manager hides it, and the log tells everyone without naming the reporter', async () => {
  const contexts = await Promise.all([newContext(), newContext(), newContext(), newContext()]);
  const [sanneCtx, henkCtx, annaCtx, moCtx] = contexts;
  try {
    const sanne = await sanneCtx.newPage();
    const henk = await henkCtx.newPage();
    const anna = await annaCtx.newPage();
    const mo = await moCtx.newPage();
    await login(sanne, base(), 'sanne@example.org');
    await login(henk, base(), 'henk@example.org');
    await login(anna, base(), 'anna@example.org');
    await login(mo, base(), 'mohammed@example.org');

    // Sanne offers something for sale.
    const title = 'Fiets te koop ' + uniq().slice(-5);
    const created = await apiAs(sanne, 'POST', '/neighbourhoods/1/posts',
      { kind: 'offer', category: 'goods', title, body: 'Vijftig euro, ophalen.' });
    assert.equal(created.status, 201);
    const postId = created.body.post.id;

    // Mohammed sees it in his feed.
    await mo.goto(base() + '/neighbourhoods/1');
    await mo.getByRole('link', { name: title }).waitFor();

    // Henk reports it; the reason is checked as he types, and the API's codes land at the field.
    await henk.goto(`${base()}/posts/${postId}`);
    await henk.getByRole('heading', { level: 1, name: title }).waitFor();
    const reportButton = henk.getByRole('button', { name: 'Meld dit bericht' });
    await reportButton.click();
    assert.equal(await reportButton.getAttribute('aria-expanded'), 'true');
    const reason = henk.getByLabel('Waarom meld je dit?');
    await reason.fill('ab');
    await reason.blur();
    const errorAt = henk.locator(`#report-post-${postId}-error`);
    await errorAt.getByText('Dit is te kort: minstens 3 tekens.').waitFor();
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.match(await reason.getAttribute('aria-describedby'), new RegExp(`report-post-${postId}-error`));
    await axe(henk, 'report form with an error');
    await reason.pressSequentially('c');
    await errorAt.waitFor({ state: 'detached' });
    // a control character passes the app but not the server, which answers with `fields`
    await reason.fill('Bel\u0007 niet');
    await henk.getByRole('button', { name: 'Melding versturen' }).click();
    await errorAt.getByText('Dit klopt niet. Kijk het nog eens na.').waitFor();
    const henksReason = 'Hier wordt iets verkocht in plaats van uitgeleend ' + uniq().slice(-4);
    await reason.fill(henksReason);
    await errorAt.waitFor({ state: 'detached' });
    await henk.getByRole('button', { name: 'Melding versturen' }).click();
    await henk.getByText('Bedankt. De beheerders kijken ernaar.').waitFor();
    assert.equal(await henk.getByRole('button', { name: 'Meld dit bericht' }).count(), 0);
    await axe(henk, 'post after reporting');

    // Henk also reports a member, from the member list the feed links to.
    await henk.getByRole('navigation').getByRole('link', { name: 'Mijn buurt' }).click();
    await henk.getByRole('main').getByRole('link', { name: 'Leden' }).click();
    await henk.getByRole('heading', { level: 1, name: 'Leden van Binnenstad' }).waitFor();
    assert.equal(await henk.getByRole('button', { name: 'Meld Henk Bos' }).count(), 0, 'nobody reports themselves');
    await henk.getByRole('button', { name: 'Meld Mohammed Yilmaz' }).click();
    await henk.getByLabel('Waarom meld je dit?').fill('Belt steeds laat op de avond aan.');
    await axe(henk, 'members with a report form');
    await henk.getByRole('button', { name: 'Melding versturen' }).click();
    await henk.getByText('Bedankt. De beheerders kijken ernaar.').waitFor();

    // Anna, a manager, finds the queue from the manage page.
    await anna.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
    await anna.getByTestId('open-reports').getByText('2 open meldingen').waitFor();
    await anna.getByRole('link', { name: 'Naar de meldingen' }).click();
    await anna.getByRole('heading', { level: 1, name: 'Meldingen van leden' }).waitFor();
    const postGroup = anna.locator('.report-group', { hasText: 'Bericht van Sanne Visser' });
    await postGroup.getByText(henksReason).waitFor();
    await postGroup.getByText(/^Henk Bos op /).waitFor();
    await axe(anna, 'moderation queue');

    // Both chosen, "hide": a member can't be hidden, and the form says so at the action.
    await anna.getByRole('checkbox', { name: 'Bericht van Sanne Visser' }).check();
    await anna.getByRole('checkbox', { name: 'Lid: Mohammed Yilmaz' }).check();
    await anna.getByText('2 gekozen').waitFor();
    await anna.getByLabel('Verbergen').check();
    await anna.locator('#action-error').getByText('Een lid kun je niet verbergen').waitFor();
    await axe(anna, 'moderation queue with an error');
    await anna.getByRole('checkbox', { name: 'Lid: Mohammed Yilmaz' }).uncheck();
    await anna.locator('#action-error').waitFor({ state: 'detached' });
    const annasReason = 'Huisregel 2: uitlenen, niet verkopen.';
    await anna.getByLabel('Reden', { exact: true }).fill(annasReason);
    await anna.getByRole('button', { name: 'Verder' }).click();
    const confirm = anna.getByRole('region', { name: 'Klopt dit?' });
    await confirm.getByText('Je verbergt: Bericht van Sanne Visser.').waitFor();
    await axe(anna, 'moderation confirmation');
    // "back" returns to the form, with focus on its button
    await confirm.getByRole('button', { name: 'Terug' }).click();
    await confirm.waitFor({ state: 'detached' });
    const review = anna.getByRole('button', { name: 'Verder' });
    assert.ok(await review.evaluate((el) => el === document.activeElement), 'focus goes back to "Verder"');
    await review.click();
    await confirm.getByRole('button', { name: 'Ja, doen' }).click();
    await anna.getByText('Gedaan. Het staat in het logboek.').waitFor();
    await postGroup.waitFor({ state: 'detached' });

    // The member report: dismissed, without a reason.
    await anna.getByRole('checkbox', { name: 'Lid: Mohammed Yilmaz' }).check();
    await anna.getByLabel('Niets doen (afwijzen)').check();
    await anna.getByRole('button', { name: 'Verder' }).click();
    await anna.getByRole('region', { name: 'Klopt dit?' }).getByRole('button', { name: 'Ja, doen' }).click();
    await anna.getByText('Er zijn geen open meldingen.').waitFor();
    await axe(anna, 'empty moderation queue');

    // The post is gone from Mohammed's feed, and its page is not found.
    await mo.goto(base() + '/neighbourhoods/1');
    await mo.locator('.cards li').first().waitFor();
    assert.equal(await mo.getByRole('link', { name: title }).count(), 0);
    assert.equal((await apiAs(mo, 'GET', `/posts/${postId}`)).status, 404);

    // Mohammed reads the log: who acted, on what and why, never who reported.
    await mo.getByRole('main').getByRole('link', { name: 'Logboek van de beheerders' }).click();
    await mo.getByRole('heading', { level: 1, name: 'Logboek van de beheerders' }).waitFor();
    const hid = mo.locator('.log-entry', { hasText: 'Anna de Vries verborg een bericht van Sanne Visser' });
    await hid.getByText(annasReason).waitFor();
    assert.equal(await hid.getByText('Over jou').count(), 0);
    const aboutMo = mo.locator('.log-entry', { hasText: 'Anna de Vries deed niets met een melding over Mohammed Yilmaz' });
    await aboutMo.getByText('Over jou').waitFor();
    const text = await mo.getByRole('main').textContent();
    assert.ok(!text.includes('Henk'), 'the log never names the reporter');
    assert.ok(!text.includes(henksReason), "the log never repeats the report's reason");
    await axe(mo, 'moderation log');

    // Sanne still sees her own post, marked as hidden, and the entry about her.
    await sanne.goto(`${base()}/posts/${postId}`);
    await sanne.getByText('De beheerders hebben dit bericht verborgen.').waitFor();
    await sanne.goto(base() + '/neighbourhoods/1/moderation-log');
    await sanne.locator('.log-entry', { hasText: 'verborg een bericht van Sanne Visser' }).getByText('Over jou').waitFor();
    await axe(sanne, 'moderation log about you');

    // Residents don't get the queue.
    await mo.goto(base() + '/neighbourhoods/1/moderation');
    await mo.getByRole('heading', { level: 1, name: 'Deze pagina bestaat niet.' }).waitFor();
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test('a manager writes house rules with a preview; new members read them when they join', async () => {
  const contexts = await Promise.all([newContext(), newContext(), newContext()]);
  const [annaCtx, newCtx, askCtx] = contexts;
  try {
    const anna = await annaCtx.newPage();
    await login(anna, base(), 'anna@example.org');
    await anna.goto(base() + '/neighbourhoods/1/manage');
    await anna.getByRole('link', { name: 'Huisregels schrijven' }).click();
    await anna.getByRole('heading', { level: 1, name: 'Huisregels van Binnenstad' }).waitFor();
    await anna.getByText('De beheerders hebben nog geen huisregels geschreven.').waitFor();
    await anna.getByText('Nog niets om te laten zien.').waitFor();
    await axe(anna, 'house rules, none yet');

    const rules = '1. **Wees aardig** tegen elkaar.\n2. Uitlenen, niet verkopen.\n\n<b>rauw</b> [vreemd](javascript:alert(1)) [goed](https://example.org/)';
    await anna.getByLabel('Tekst van de huisregels').fill(rules);
    const preview = anna.getByTestId('rules-preview');
    await preview.locator('strong', { hasText: 'Wees aardig' }).waitFor();
    assert.equal(await preview.locator('li').count(), 2);
    assert.equal(await preview.locator('b').count(), 0, 'raw HTML is dropped in the preview');
    assert.equal(await preview.getByRole('link', { name: 'goed' }).getAttribute('href'), 'https://example.org/');
    assert.ok(!(await preview.innerHTML()).includes('javascript:'), 'unsafe links lose their URL');
    await axe(anna, 'house rules editor with a preview');
    await anna.getByRole('button', { name: 'Huisregels opslaan' }).click();
    await anna.getByText('De huisregels zijn opgeslagen.').waitFor();
    await anna.locator('.rules strong', { hasText: 'Wees aardig' }).waitFor();
    const invite = await apiAs(anna, 'POST', '/neighbourhoods/1/invites');
    assert.equal(invite.status, 201);

    // A newcomer joins with the code and reads the rules first.
    const p = await newCtx.newPage();
    const id = uniq();
    await register(p, base(), { name: 'Nieuw ' + id.slice(-4), email: `nieuw-${id}@example.org` });
    await p.waitForURL((u) => !u.pathname.startsWith('/register'));
    await p.goto(`${base()}/join/1?code=${invite.body.code}`);
    await p.getByRole('button', { name: 'Word lid met de code' }).click();
    await p.getByRole('heading', { level: 1, name: 'Huisregels van Binnenstad' }).waitFor();
    await p.getByText('Welkom in Binnenstad! Je bent nu lid.').waitFor();
    await p.getByText('Lees eerst de huisregels van je nieuwe buurt.').waitFor();
    await p.locator('.rules strong', { hasText: 'Wees aardig' }).waitFor();
    assert.equal(await p.getByLabel('Tekst van de huisregels').count(), 0, 'only managers edit');
    await axe(p, 'house rules after joining');
    await p.getByRole('link', { name: 'Naar de buurt' }).click();
    await p.getByRole('heading', { level: 1, name: 'Vraag en aanbod in Binnenstad' }).waitFor();
    // and they stay reachable from the feed
    await p.getByRole('main').getByRole('link', { name: 'Huisregels' }).click();
    await p.getByRole('heading', { level: 1, name: 'Huisregels van Binnenstad' }).waitFor();
    assert.equal(await p.getByText('Lees eerst de huisregels').count(), 0);

    // Someone who asks to join reads them while waiting.
    const q = await askCtx.newPage();
    const id2 = uniq();
    await register(q, base(), { name: 'Wacht ' + id2.slice(-4), email: `wacht-${id2}@example.org` });
    await q.waitForURL((u) => !u.pathname.startsWith('/register'));
    await q.goto(`${base()}/join/1`);
    await q.getByRole('button', { name: 'Vraag om lid te worden' }).click();
    await q.getByRole('heading', { level: 1, name: 'Je aanvraag is verstuurd' }).waitFor();
    await q.getByRole('region', { name: 'De huisregels' }).locator('strong', { hasText: 'Wees aardig' }).waitFor();
    await axe(q, 'pending with house rules');
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test('screenshots of the moderation pages (and 320 px without sideways scrolling), in Dutch and English', async () => {
  const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
  // something in the queue to show
  const setup = await newContext();
  try {
    const s = await setup.newPage();
    await login(s, base(), 'sanne@example.org');
    const members = (await apiAs(s, 'GET', '/neighbourhoods/1/members')).body.members;
    const mo = members.find((m) => m.user.display_name === 'Mohammed Yilmaz');
    const r = await apiAs(s, 'POST', '/neighbourhoods/1/reports',
      { target: 'member', id: mo.user.id, reason: 'Parkeert steeds voor de uitrit van de buren.' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  } finally {
    await setup.close();
  }
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const scheme of size === 'phone' ? ['light', 'dark'] : ['light']) {
      const ctx = await newContext({ viewport, colorScheme: scheme, reducedMotion: 'reduce' });
      const suffix = `${size}${scheme === 'dark' ? '-dark' : ''}`;
      try {
        const p = await ctx.newPage();
        await login(p, base(), 'anna@example.org');
        const pages = [
          ['moderation-queue', '/neighbourhoods/1/moderation', 'Meldingen van leden'],
          ['moderation-log', '/neighbourhoods/1/moderation-log', 'Logboek van de beheerders'],
          ['house-rules', '/neighbourhoods/1/house-rules', 'Huisregels van Binnenstad'],
          ['members', '/neighbourhoods/1/members', 'Leden van Binnenstad'],
        ];
        for (const [name, path, heading] of pages) {
          await p.goto(base() + path);
          await p.getByRole('heading', { level: 1, name: heading }).waitFor();
          await p.waitForLoadState('networkidle');
          if (name === 'moderation-queue') {
            await p.locator('.report-group input').first().check();
            await p.getByLabel('Waarschuwen').check();
            await p.getByLabel('Reden', { exact: true }).fill('Huisregel 3: houd de uitritten vrij.');
            await p.getByRole('button', { name: 'Verder' }).click();
            await p.getByRole('region', { name: 'Klopt dit?' }).waitFor();
          }
          await shot(p, `${name}-${suffix}`);
          await axe(p, `${name} ${suffix}`);
        }
        if (size === 'phone' && scheme === 'light') {
          await p.setViewportSize({ width: 320, height: 640 });
          for (const [, path] of pages) {
            await p.goto(base() + path);
            await p.getByRole('heading', { level: 1 }).waitFor();
            await p.waitForLoadState('networkidle');
            const w = await p.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(w <= 320, `${path} scrolls sideways at 320 px (${w} px wide)`);
          }
          // the same pages in English
          await p.getByRole('button', { name: 'Switch to English' }).click();
          for (const [path, heading] of [['/neighbourhoods/1/moderation', 'Reports from members'],
            ['/neighbourhoods/1/moderation-log', 'Managers’ log'], ['/neighbourhoods/1/house-rules', 'House rules of Binnenstad']]) {
            await p.goto(base() + path);
            await p.getByRole('heading', { level: 1, name: heading }).waitFor();
            await p.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
            await axe(p, `${path} in English`);
          }
        }
      } finally {
        await ctx.close();
      }
    }
  }
});
