// Professionals alongside residents (issue 7), in Chromium against a real
// server with the demo community: a manager sets the admission rule to a
// vote, a professional makes a profile and asks Binnenstad for access, the
// residents vote to the quorum, a resident volunteers as buddy and signs off,
// and the professional then sees a post in scope but not one marked "not for
// professionals". The author sees who looked at the post.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { axe, login, register, shot, uniq, useServerAndBrowser } from './harness.mjs';

const { server, base, newContext } = useServerAndBrowser({ viewport: { width: 390, height: 844 } });

async function noSidewaysScroll(p, label) {
  await p.setViewportSize({ width: 320, height: 640 });
  await p.waitForLoadState('networkidle');
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 320, `${label} scrolls sideways at 320 px (${w} px wide)`);
  await p.setViewportSize({ width: 390, height: 844 });
}

/** A resident logs in, opens the professionals page and votes on the professional. */
async function vote(email, proName, choice) {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await login(p, base(), email);
    await p.getByRole('navigation').getByRole('link', { name: 'Professionals' }).click();
    await p.getByRole('heading', { level: 1, name: 'Professionals in Binnenstad' }).waitFor();
    const card = p.locator('.pro-card', { hasText: proName });
    await card.getByRole('group', { name: `Stem over ${proName}` })
      .getByRole('button', { name: choice === 'yes' ? 'Ik stem voor' : 'Ik stem tegen' }).click();
    await p.getByRole('status').filter({ hasText: 'Je stem is geteld.' }).waitFor();
    return (await card.locator('dl').textContent()).replace(/\s+/g, ' ');
  } finally {
    await ctx.close();
  }
}

test('a professional is admitted by a vote of the residents and introduced by a buddy', async () => {
  const id = uniq();
  const proName = 'Sanne Pro ' + id.slice(-4);
  const org = 'Wijkteam Zutphen';
  const anna = await newContext();
  const henk = await newContext();
  const pro = await newContext();
  try {
    // Anna, a manager, sets the rule: the residents vote, three votes are enough.
    const pa = await anna.newPage();
    await login(pa, base(), 'anna@example.org');
    await pa.getByRole('navigation').getByRole('link', { name: 'Professionals' }).click();
    await pa.getByRole('heading', { level: 1, name: 'Professionals in Binnenstad' }).waitFor();
    await pa.getByText('In deze buurt beslist een beheerder over nieuwe professionals.').waitFor();
    await pa.getByText('Nog geen professional heeft om toegang gevraagd.').waitFor();
    await axe(pa, 'professionals, empty');
    await pa.getByRole('link', { name: 'Instellingen voor professionals' }).click();
    await pa.getByRole('heading', { level: 1, name: 'Instellingen voor professionals' }).waitFor();
    await pa.getByLabel('De bewoners, door te stemmen').check();
    await pa.getByLabel('Hoeveel stemmen zijn minstens nodig?').fill('0');
    await pa.getByRole('button', { name: 'Instellingen opslaan' }).click();
    // the field says what is wrong and has the focus
    await pa.getByText('Dit getal kan niet. Kies een getal tussen 1 en 1.000.').waitFor();
    assert.equal(await pa.evaluate(() => document.activeElement?.id), 'vote_quorum');
    await pa.getByLabel('Hoeveel stemmen zijn minstens nodig?').fill('3');
    await pa.getByRole('button', { name: 'Instellingen opslaan' }).click();
    await pa.getByText('De instellingen zijn opgeslagen.').waitFor();
    await axe(pa, 'professional settings');
    await shot(pa, 'pro-settings-phone');
    await noSidewaysScroll(pa, 'professional settings');
    const settings = await pa.evaluate(async () => (await fetch('/api/v1/neighbourhoods/1/settings')).json());
    assert.equal(settings.settings.professionals.admission, 'vote');
    assert.equal(settings.settings.professionals.vote_quorum, 3);
    assert.deepEqual(settings.settings.professionals.scope, ['knowledge', 'contacts', 'care']);

    // Henk writes two posts: one in scope, shared with professionals by
    // default, and one he marks "not for professionals" himself.
    const ph = await henk.newPage();
    await login(ph, base(), 'henk@example.org');
    const shared = 'Wie weet hoe huurtoeslag werkt? ' + id.slice(-4);
    const privateTitle = 'Alleen voor buren: brief van de bank ' + id.slice(-4);
    const postIds = {};
    for (const [title, hide] of [[shared, false], [privateTitle, true]]) {
      await ph.goto(base() + '/neighbourhoods/1/new');
      await ph.getByRole('heading', { level: 1, name: 'Nieuwe vraag of aanbod' }).waitFor();
      await ph.getByLabel('Ik vraag iets').check();
      const nfp = ph.getByLabel('Niet voor professionals');
      await ph.getByLabel('Geld').check(); // outside the scope: on by default
      await ph.waitForFunction(() => document.querySelector('input[name="not_for_professionals"]')?.checked === true);
      await ph.getByLabel('Kennis').check(); // inside the scope: off
      await ph.waitForFunction(() => document.querySelector('input[name="not_for_professionals"]')?.checked === false);
      if (hide) await nfp.check();
      await ph.getByLabel('Titel').fill(title);
      if (!hide) await axe(ph, 'new post with the switch');
      await ph.getByRole('button', { name: 'Plaatsen' }).click();
      await ph.getByRole('heading', { level: 1, name: title }).waitFor();
      postIds[title] = +new URL(ph.url()).pathname.split('/').pop();
      const post = await ph.evaluate(async (pid) => (await fetch('/api/v1/posts/' + pid)).json(), postIds[title]);
      assert.equal(post.post.not_for_professionals, hide, title);
      await ph.getByText(hide ? 'Dit bericht is alleen voor bewoners.' : 'Professionals met toegang kunnen dit bericht lezen.').waitFor();
    }

    // The professional: an account, a profile with the transparency text
    // shown first, then a request with a purpose.
    const pp = await pro.newPage();
    await register(pp, base(), { name: proName, email: `pro-${id}@example.org` });
    await pp.getByRole('heading', { level: 1, name: `Welkom, ${proName}` }).waitFor();
    await pp.goto(base() + '/me');
    await pp.getByRole('heading', { level: 2, name: 'Ik werk als professional' }).waitFor();
    await pp.getByRole('heading', { name: 'Bewoners zien wat je bekijkt' }).waitFor();
    await pp.getByRole('button', { name: 'Profiel opslaan' }).click();
    await pp.getByText('Niet alles is goed ingevuld.').waitFor();
    await pp.getByLabel('Organisatie').fill(org);
    await pp.getByLabel('Functie').fill('Schuldhulpverlener');
    await pp.getByLabel('Wat doe je? (niet verplicht)').fill('Spreekuur voor vragen over geld en post.');
    await pp.getByRole('button', { name: 'Profiel opslaan' }).click();
    await pp.getByText('Je profiel als professional is opgeslagen.').waitFor();
    await pp.getByText('Je hebt nog geen buurt om toegang gevraagd.').waitFor();
    await axe(pp, 'my page with a professional profile');
    await shot(pp, 'pro-profile-phone');

    // No access yet: the neighbourhood's posts are not found.
    await pp.goto(base() + '/neighbourhoods/1');
    await pp.getByRole('heading', { level: 1, name: 'Deze pagina bestaat niet.' }).waitFor();

    await pp.goto(base() + '/join/1');
    await pp.getByRole('heading', { level: 1, name: 'Lid worden van Binnenstad' }).waitFor();
    await pp.getByRole('link', { name: 'Vraag toegang als professional' }).click();
    await pp.getByRole('heading', { level: 1, name: 'Toegang tot Binnenstad' }).waitFor();
    await pp.getByText('Elke keer dat je als professional een bericht van een bewoner opent').waitFor();
    await pp.getByLabel('Waarvoor wil je toegang?').fill('Spreekuur');
    await pp.getByRole('button', { name: 'Vraag toegang' }).click();
    await pp.getByText('Dit is te kort: minstens 10 tekens.').waitFor();
    await pp.getByLabel('Waarvoor wil je toegang?').fill('Wekelijks spreekuur in het buurthuis voor vragen over geld en post.');
    await pp.getByRole('button', { name: 'Vraag toegang' }).click();
    await pp.getByText('Je vraag is verstuurd. De buurt beslist.').waitFor();
    await pp.getByRole('heading', { level: 2, name: 'Je aanvraag' }).waitFor();
    await pp.getByText('aangevraagd, de buurt beslist').waitFor();
    await axe(pp, 'asked for access');
    await shot(pp, 'pro-ask-phone');
    await noSidewaysScroll(pp, 'asking for access');
    const proId = (await pp.evaluate(async () => (await fetch('/api/v1/me')).json())).user.id;

    // Three residents vote in favour, one against: 75 % of 4 votes.
    await vote('henk@example.org', proName, 'yes');
    await vote('mohammed@example.org', proName, 'yes');
    await vote('joke@example.org', proName, 'no');
    const facts = await vote('pieter@example.org', proName, 'yes');
    assert.ok(facts.includes('3 voor, 1 tegen'), facts);
    assert.ok(facts.includes('Wekelijks spreekuur in het buurthuis'), facts);

    // The vote runs for objection_days (7) days and only then is counted.
    // A browser test can't wait a week, so the request is moved eight days
    // into the past in the database; the server decides on the next read.
    execFileSync('sqlite3', [server().db, '.timeout 5000',
      `UPDATE professional_access SET requested_at = requested_at - 8 * 86400 WHERE neighbourhood_id = 1 AND user_id = ${proId}`]);

    // Every resident was told of the request, with its purpose.
    await ph.goto(base() + '/notifications');
    await ph.getByText(`${proName} (${org}) vraagt toegang tot Binnenstad`, { exact: false }).waitFor();
    await axe(ph, 'notifications with a professional request');

    // Henk sees the admission, volunteers as buddy and signs off.
    await ph.goto(base() + '/neighbourhoods/1/professionals');
    await ph.getByRole('heading', { level: 1, name: 'Professionals in Binnenstad' }).waitFor();
    await ph.getByText('In deze buurt stemmen bewoners 7 dagen lang. Met minstens 3 stemmen en minstens 60% voor wordt een professional toegelaten.').waitFor();
    const card = ph.locator('.pro-card', { hasText: proName });
    await card.getByText('toegelaten, wacht op een buddy').waitFor();
    await card.getByText(org).first().waitFor();
    await axe(ph, 'professionals, admitted');
    await shot(ph, 'pro-admitted-phone');
    await card.getByRole('button', { name: `Ik word buddy van ${proName}` }).click();
    await ph.getByText(`Je bent nu buddy van ${proName}.`).waitFor();
    const finish = card.getByRole('button', { name: `Afronden: ${proName} krijgt toegang` });
    await finish.click();
    await card.getByText('Vink eerst alle drie aan.').waitFor();
    await card.getByLabel(`Ik heb ${proName} voorgesteld aan de buurt.`).check();
    await card.getByLabel('Ik heb de huisregels uitgelegd.').check();
    await card.getByLabel(`Ik heb uitgelegd welke berichten ${proName} wel en niet ziet.`).check();
    await axe(ph, 'sign-off checklist');
    await shot(ph, 'pro-signoff-phone');
    await finish.click();
    await ph.getByText(`${proName} heeft nu toegang.`).waitFor();
    await card.getByText('actief').first().waitFor();
    // The activity log, from its endpoint: every step, and the vote's count.
    const log = ph.locator('.pro-log');
    await log.getByText(`${proName} (${org}) kreeg toegang na de afvinklijst van buddy Henk Bos`).waitFor();
    await log.getByText(`Henk Bos werd buddy van ${proName} (${org})`).waitFor();
    await log.locator('li', { hasText: `${proName} (${org}) werd toegelaten` }).getByText('door een stemming: 3 voor, 1 tegen').waitFor();
    await log.getByText(`${proName} (${org}) vroeg om toegang`).waitFor();
    await axe(ph, 'professionals, active');
    await shot(ph, 'pro-active-phone');
    await noSidewaysScroll(ph, 'professionals page');
    const list = await ph.evaluate(async () => (await fetch('/api/v1/neighbourhoods/1/professionals')).json());
    const access = list.professionals.find((a) => a.professional.id === proId);
    assert.equal(access.status, 'active');
    assert.equal(access.buddy.display_name, 'Henk Bos');

    // The professional now reads the posts in scope, and not the other one.
    await pp.goto(base() + '/me');
    await pp.getByRole('link', { name: 'Naar de berichten van Binnenstad' }).click();
    await pp.getByRole('heading', { level: 1, name: 'Berichten in Binnenstad' }).waitFor();
    await pp.getByRole('link', { name: shared }).waitFor();
    assert.equal(await pp.getByRole('link', { name: privateTitle }).count(), 0);
    const feed = await pp.evaluate(async () => (await fetch('/api/v1/neighbourhoods/1/feed?limit=100')).json());
    assert.ok(feed.posts.every((p) => !p.not_for_professionals && ['knowledge', 'contacts', 'care'].includes(p.category)));
    assert.ok(!feed.posts.some((p) => p.id === postIds[privateTitle]));
    await axe(pp, 'professional feed');
    await shot(pp, 'pro-feed-phone');
    await pp.goto(base() + '/posts/' + postIds[privateTitle]);
    await pp.getByRole('heading', { level: 1, name: 'Deze pagina bestaat niet.' }).waitFor();

    // It opens the shared post and responds; the response carries the badge.
    await pp.goto(base() + '/neighbourhoods/1');
    await pp.getByRole('link', { name: shared }).click();
    await pp.getByRole('heading', { level: 1, name: shared }).waitFor();
    await pp.getByLabel('Je bericht aan Henk Bos').fill('Ik kijk dinsdag op het spreekuur graag met je mee.');
    await pp.getByRole('button', { name: 'Reactie versturen' }).click();
    await pp.getByText('Henk Bos').first().waitFor();
    await axe(pp, 'post, as a professional');

    // It offers a drop-in hour: outside the scope the server refuses the topic.
    await pp.goto(base() + '/neighbourhoods/1');
    await pp.getByRole('link', { name: 'Iets aanbieden' }).click();
    await pp.getByRole('heading', { level: 1, name: 'Iets aanbieden in Binnenstad' }).waitFor();
    const offer = 'Spreekuur geldzaken in het buurthuis ' + id.slice(-4);
    await pp.getByLabel('Geld').check();
    await pp.getByLabel('Titel').fill(offer);
    await pp.getByRole('button', { name: 'Plaatsen' }).click();
    await pp.getByText('In dit onderwerp laat de buurt geen professionals toe.', { exact: false }).waitFor();
    await axe(pp, 'offer out of scope');
    await pp.getByLabel('Kennis').check();
    await pp.getByRole('button', { name: 'Plaatsen' }).click();
    await pp.getByRole('heading', { level: 1, name: offer }).waitFor();
    await pp.getByText(`Professional bij ${org}`).waitFor();
    await axe(pp, 'offer placed by a professional');

    // Henk sees the badge on the offer in his feed, who looked at his post
    // (with the organisation), and the badge on the response.
    await ph.goto(base() + '/neighbourhoods/1');
    await ph.locator('.cards li', { hasText: offer }).getByText(`Professional bij ${org}`).waitFor();
    await ph.goto(base() + '/posts/' + postIds[shared]);
    await ph.getByRole('heading', { level: 2, name: 'Wie keek er naar mijn bericht?' }).waitFor();
    const views = ph.locator('.views li');
    await views.first().waitFor();
    assert.ok((await views.first().textContent()).includes(proName));
    assert.ok((await views.first().textContent()).includes(org));
    const response = ph.locator('.cards li', { hasText: 'spreekuur graag met je mee' });
    await response.getByText(`Professional bij ${org}`).waitFor();
    await axe(ph, 'post with views');
    await shot(ph, 'pro-views-phone');
    await noSidewaysScroll(ph, 'post with views');

    // The log counts what the professional did here: one offer, one
    // response, and the posts it opened (never which).
    await ph.goto(base() + '/neighbourhoods/1/professionals');
    const row = ph.locator('.pro-counts tbody tr', { hasText: proName });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], 'actief');
    assert.equal(cells[1], '1');
    assert.equal(cells[2], '1');
    assert.ok(Number(cells[3]) >= 1, cells.join(' | '));
    await axe(ph, 'professionals page with the counts');
    await noSidewaysScroll(ph, 'professionals page with the counts');
    await ph.goto(base() + '/posts/' + postIds[shared]);
    await ph.getByRole('heading', { level: 2, name: 'Wie keek er naar mijn bericht?' }).waitFor();

    // In English too, and dark.
    await ph.getByRole('button', { name: 'Switch to English' }).click();
    await ph.getByRole('heading', { level: 2, name: 'Who looked at my post?' }).waitFor();
    await ph.goto(base() + '/neighbourhoods/1/professionals');
    await ph.getByText('In this neighbourhood residents vote for 7 days.', { exact: false }).waitFor();
    await ph.locator('.pro-card', { hasText: proName }).getByText('active', { exact: true }).waitFor();
    await axe(ph, 'professionals in English');
    await ph.emulateMedia({ colorScheme: 'dark' });
    await shot(ph, 'pro-active-phone-dark');
    await axe(ph, 'professionals in English, dark');
    await ph.emulateMedia({ colorScheme: 'light' });
    await ph.setViewportSize({ width: 1280, height: 800 });
    await shot(ph, 'pro-active-desktop');
  } finally {
    await anna.close();
    await henk.close();
    await pro.close();
  }
});

test('under the manager rule a manager admits; objections and pause work; the profile can be removed', async () => {
  const id = uniq();
  const proName = 'Piet Pro ' + id.slice(-4);
  const ctx = await newContext();
  const anna = await newContext();
  try {
    // The professional asks De Hoven (neighbourhood 2, the manager rule).
    const pp = await ctx.newPage();
    await register(pp, base(), { name: proName, email: `piet-${id}@example.org` });
    await pp.getByRole('heading', { level: 1, name: `Welkom, ${proName}` }).waitFor();
    await pp.goto(base() + '/neighbourhoods/2/professionals');
    await pp.getByRole('heading', { level: 1, name: 'Toegang tot De Hoven' }).waitFor();
    await pp.getByText('Maak eerst je profiel als professional op je eigen pagina.').waitFor();
    await axe(pp, 'asking without a profile');
    await pp.getByRole('link', { name: 'Naar mijn pagina' }).click();
    await pp.getByLabel('Organisatie').fill('GGD');
    await pp.getByLabel('Functie').fill('Wijkverpleegkundige');
    await pp.getByRole('button', { name: 'Profiel opslaan' }).click();
    await pp.getByText('Je profiel als professional is opgeslagen.').waitFor();
    await pp.goto(base() + '/neighbourhoods/2/professionals');
    await pp.getByLabel('Waarvoor wil je toegang?').fill('Inloopspreekuur over gezondheid, eens per maand.');
    await pp.getByRole('button', { name: 'Vraag toegang' }).click();
    await pp.getByText('Je vraag is verstuurd. De buurt beslist.').waitFor();

    // Kees manages De Hoven: approve is his to give.
    const pk = await anna.newPage();
    await login(pk, base(), 'kees@example.org');
    await pk.goto(base() + '/neighbourhoods/2/professionals');
    const card = pk.locator('.pro-card', { hasText: proName });
    await card.getByText('aangevraagd, de buurt beslist').waitFor();
    await card.getByRole('button', { name: `${proName} toelaten` }).click();
    await pk.getByText(`${proName} is toegelaten. Nu is er een buddy nodig.`).waitFor();
    await card.getByText('toegelaten, wacht op een buddy').waitFor();
    // a resident's objection is counted against an admitted professional
    await card.getByText('Bezwaar maken').click();
    await card.getByLabel('Reden (niet verplicht; alleen bewaard, niet getoond)').fill('Ik ken deze persoon niet.');
    await card.getByRole('button', { name: `Bezwaar indienen tegen ${proName}` }).click();
    await pk.getByText('Je bezwaar is geteld.').waitFor();
    await card.locator('dd', { hasText: /^1$/ }).waitFor();
    await axe(pk, 'manager rule, admitted, objected');
    // pause and resume
    await card.getByRole('button', { name: `Pauzeer ${proName}` }).click();
    await pk.getByText(`De toegang van ${proName} is gepauzeerd.`).waitFor();
    await card.getByText('gepauzeerd').first().waitFor();
    await card.getByRole('button', { name: `Hervat ${proName}` }).click();
    await pk.getByText(`De toegang van ${proName} is hervat.`).waitFor();
    await card.getByText('toegelaten, wacht op een buddy').waitFor();
    await axe(pk, 'manager rule, resumed');
    await shot(pk, 'pro-manager-phone');

    // The professional sees the state on their page, then removes the profile.
    await pp.goto(base() + '/me');
    await pp.getByText('toegelaten, wacht op een buddy').waitFor();
    await pp.getByRole('button', { name: 'Profiel verwijderen' }).click();
    await pp.getByText('Weet je het zeker?').waitFor();
    await axe(pp, 'removing the profile');
    await pp.getByRole('button', { name: 'Ja, verwijder mijn profiel' }).click();
    await pp.getByText('Je profiel is verwijderd.').waitFor();
    const me = await pp.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.professional, null);
  } finally {
    await ctx.close();
    await anna.close();
  }
});
