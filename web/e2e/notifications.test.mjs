// Notifications in Chromium, against a real server with the demo community:
// the bell's unread count, the notifications page, marking read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, axe, login, shot, uniq, useServerAndBrowser } from './harness.mjs';

const { base, newContext } = useServerAndBrowser();

const unreadOf = async (page) => (await apiAs(page, 'GET', '/me/notifications?limit=1')).body.unread;
const bellName = (n) => (n === 0 ? 'Meldingen' : n === 1 ? 'Meldingen, 1 nieuw' : `Meldingen, ${n} nieuw`);

test('a response to my post shows in the bell and on the notifications page, and is marked read', async () => {
  const contexts = await Promise.all([newContext(), newContext(), newContext()]);
  const [henkCtx, sanneCtx, moCtx] = contexts;
  try {
    const henk = await henkCtx.newPage();
    const sanne = await sanneCtx.newPage();
    const mo = await moCtx.newPage();
    await login(henk, base(), 'henk@example.org');
    await login(sanne, base(), 'sanne@example.org');
    await login(mo, base(), 'mohammed@example.org');

    const title = 'Wie leent mij een boormachine ' + uniq().slice(-4);
    const created = await apiAs(henk, 'POST', '/neighbourhoods/1/posts',
      { kind: 'ask', category: 'goods', title, body: 'Voor een plank aan de muur.' });
    assert.equal(created.status, 201);
    const postId = created.body.post.id;
    const before = await unreadOf(henk);

    // Sanne responds; Henk's bell counts it after his next navigation.
    await sanne.goto(`${base()}/posts/${postId}`);
    await sanne.getByLabel('Je bericht aan Henk Bos').fill('Ik heb er een. Kom maar langs.');
    await sanne.getByRole('button', { name: 'Reactie versturen' }).click();
    await sanne.getByText('Je reactie is verstuurd.').waitFor();
    assert.equal(await unreadOf(henk), before + 1);
    await henk.getByRole('navigation').getByRole('link', { name: 'Bedankjes' }).click();
    const bell = henk.getByRole('link', { name: bellName(before + 1), exact: true });
    await bell.waitFor();
    assert.equal((await bell.textContent()).trim(), String(before + 1));
    await axe(henk, 'bell with a count');

    // The page: what happened, when, and a link to the post.
    await bell.click();
    await henk.getByRole('heading', { level: 1, name: 'Meldingen' }).waitFor();
    const item = henk.locator('.notification', { hasText: `Sanne Visser reageerde op je bericht “${title}”.` });
    await item.waitFor();
    assert.equal(await item.getAttribute('class'), 'card notification unread');
    await item.getByText('nieuw', { exact: true }).waitFor();
    const time = item.locator('time');
    assert.ok(Date.parse(await time.getAttribute('datetime')) > 0);
    assert.ok((await time.textContent()).trim().length > 0);
    await henk.getByText(before + 1 === 1 ? '1 nieuwe melding' : `${before + 1} nieuwe meldingen`).waitFor();
    await axe(henk, 'notifications');

    // Opening it marks it read.
    const open = item.getByRole('link', { name: 'Bekijk' });
    assert.equal(await open.getAttribute('href'), `/posts/${postId}`);
    await open.click();
    await henk.getByRole('heading', { level: 1, name: title }).waitFor();
    await henk.getByText('Ik heb er een. Kom maar langs.').waitFor();
    // the author can report a response; the form opens and closes with focus where it belongs
    const reportResponse = henk.getByRole('button', { name: 'Meld de reactie van Sanne Visser' });
    await reportResponse.click();
    const reason = henk.getByLabel('Waarom meld je dit?');
    assert.ok(await reason.evaluate((el) => el === document.activeElement), 'focus moves into the form');
    await henk.getByRole('button', { name: 'Annuleren' }).click();
    await reason.waitFor({ state: 'detached' });
    assert.ok(await reportResponse.evaluate((el) => el === document.activeElement), 'focus goes back to the button');
    await reportResponse.click();
    await reason.fill('Alleen om te testen dat melden van een reactie werkt.');
    await henk.getByRole('button', { name: 'Melding versturen' }).click();
    const sent = henk.getByText('Bedankt. De beheerders kijken ernaar.');
    await sent.waitFor();
    assert.ok(await sent.evaluate((el) => el === document.activeElement), 'focus moves to the confirmation');
    await axe(henk, 'own post after reporting a response');
    await henk.getByRole('link', { name: bellName(before), exact: true }).waitFor();
    assert.equal(await unreadOf(henk), before);
    await henk.getByRole('link', { name: bellName(before), exact: true }).click();
    await henk.getByRole('heading', { level: 1, name: 'Meldingen' }).waitFor();
    assert.equal(await item.getAttribute('class'), 'card notification');

    // Mark all as read.
    if (before > 0) {
      await henk.getByRole('button', { name: 'Alles gelezen' }).click();
      await henk.getByText('Alle meldingen zijn gelezen.').waitFor();
    }
    await henk.getByText('Geen nieuwe meldingen').waitFor();
    await henk.getByRole('link', { name: 'Meldingen', exact: true }).waitFor();
    assert.equal(await henk.locator('.notification.unread').count(), 0);
    assert.equal(await henk.getByRole('button', { name: 'Alles gelezen' }).count(), 0);
    assert.equal(await unreadOf(henk), 0);
    await axe(henk, 'notifications, all read');

    // A second response: counted on the next navigation again; in English too.
    await apiAs(mo, 'POST', `/posts/${postId}/responses`, { message: 'Ik ook, als die van Sanne stuk is.' });
    await henk.getByRole('navigation').getByRole('link', { name: 'Mijn buurt' }).click();
    await henk.getByRole('link', { name: 'Meldingen, 1 nieuw', exact: true }).click();
    await henk.getByRole('button', { name: 'Switch to English' }).click();
    await henk.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await henk.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
    await henk.locator('.notification.unread', { hasText: `Mohammed Yilmaz responded to your post “${title}”.` }).waitFor();
    await henk.getByRole('link', { name: 'Notifications, 1 new', exact: true }).waitFor();
    await axe(henk, 'notifications in English');
    await henk.getByRole('button', { name: 'Mark all as read' }).click();
    await henk.getByText('All notifications are read.').waitFor();
    await henk.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test('screenshots of the notifications page (and 320 px without sideways scrolling)', async () => {
  const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const scheme of size === 'phone' ? ['light', 'dark'] : ['light']) {
      const ctx = await newContext({ viewport, colorScheme: scheme, reducedMotion: 'reduce' });
      const suffix = `${size}${scheme === 'dark' ? '-dark' : ''}`;
      try {
        const p = await ctx.newPage();
        // Sanne has an accepted response and thanks from the demo
        await login(p, base(), 'sanne@example.org');
        await p.goto(base() + '/notifications');
        await p.getByRole('heading', { level: 1, name: 'Meldingen' }).waitFor();
        await p.waitForLoadState('networkidle');
        await shot(p, `notifications-${suffix}`);
        await axe(p, `notifications ${suffix}`);
        if (size === 'phone' && scheme === 'light') {
          await p.setViewportSize({ width: 320, height: 640 });
          await p.reload();
          await p.getByRole('heading', { level: 1, name: 'Meldingen' }).waitFor();
          await p.waitForLoadState('networkidle');
          const w = await p.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(w <= 320, `/notifications scrolls sideways at 320 px (${w} px wide)`);
        }
      } finally {
        await ctx.close();
      }
    }
  }
});
