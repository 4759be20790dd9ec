// End-to-end tests of the Noaber web app in Chromium, against a real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, register, shot, uniq, useServerAndBrowser } from './harness.mjs';

const { base, newContext } = useServerAndBrowser();

test('the neighbour story: found, invite, join, ask, respond, accept, thank, trail', async () => {
  const a = await newContext();
  const b = await newContext();
  try {
    const pa = await a.newPage();
    const pb = await b.newPage();
    const id = uniq();
    const nameA = 'Ans ' + id.slice(-4);
    const nameB = 'Bert ' + id.slice(-4);

    // A: welcome page, register, found a neighbourhood
    await pa.goto(base() + '/');
    await pa.getByRole('heading', { level: 1, name: 'Buren helpen elkaar' }).waitFor();
    await axe(pa, 'welcome');
    await pa.getByRole('link', { name: 'Maak een account' }).click();
    await pa.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
    await axe(pa, 'register');
    await pa.getByLabel('Je naam').fill(nameA);
    await pa.getByLabel('E-mailadres').fill(`ans-${id}@example.org`);
    await pa.getByLabel('Wachtwoord').fill('een goed wachtwoord');
    await pa.getByRole('button', { name: 'Account maken' }).click();
    await pa.getByRole('heading', { level: 1, name: `Welkom, ${nameA}` }).waitFor();
    await axe(pa, 'home without neighbourhood');
    await pa.getByRole('navigation').getByRole('link', { name: 'Buurt beginnen' }).click();
    await pa.getByRole('heading', { level: 1, name: 'Begin een nieuwe buurt' }).waitFor();
    await axe(pa, 'found');
    const hood = 'Vogelbuurt ' + id.slice(-4);
    await pa.getByLabel('Naam van de buurt').fill(hood);
    await pa.getByLabel('Gemeente of regio').fill('Teststad ' + id);
    await pa.getByLabel('Breedtegraad').fill('51.5');
    await pa.getByLabel('Lengtegraad').fill('4.5');
    await pa.getByRole('button', { name: 'Buurt beginnen' }).click();
    await pa.getByRole('heading', { level: 1, name: `Vraag en aanbod in ${hood}` }).waitFor();
    await pa.getByText('Hier staat nog niets').waitFor();
    await axe(pa, 'empty feed');
    const hoodPath = new URL(pa.url()).pathname;
    const hoodId = hoodPath.split('/').pop();

    // A: make an invite
    await pa.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
    await pa.getByRole('heading', { level: 1, name: `Beheer van ${hood}` }).waitFor();
    await pa.getByText('Niemand wacht op goedkeuring.').waitFor();
    await pa.getByRole('button', { name: 'Maak een uitnodiging' }).click();
    const code = (await pa.getByTestId('invite-code').textContent()).trim();
    assert.match(code, /^[23456789A-Z]{10}$/);
    const link = await pa.getByRole('link', { name: new RegExp(`/join/${hoodId}\\?code=${code}$`) }).getAttribute('href');
    assert.equal(link, `/join/${hoodId}?code=${code}`);
    await axe(pa, 'manage with invite');

    // B: follows the invite link, registers, joins with the code
    await pb.goto(base() + link);
    await pb.getByRole('heading', { level: 1, name: `Lid worden van ${hood}` }).waitFor();
    await axe(pb, 'join, logged out');
    await pb.getByRole('main').getByRole('link', { name: 'Aanmelden' }).click();
    await pb.getByLabel('Je naam').fill(nameB);
    await pb.getByLabel('E-mailadres').fill(`bert-${id}@example.org`);
    await pb.getByLabel('Wachtwoord').fill('nog een goed wachtwoord');
    await pb.getByRole('button', { name: 'Account maken' }).click();
    await pb.getByRole('heading', { level: 1, name: `Lid worden van ${hood}` }).waitFor();
    assert.equal(await pb.getByLabel('Uitnodigingscode').inputValue(), code);
    await axe(pb, 'join, logged in');
    await pb.getByRole('button', { name: 'Word lid met de code' }).click();
    await pb.getByRole('heading', { level: 1, name: `Vraag en aanbod in ${hood}` }).waitFor();
    await pb.getByText(`Welkom in ${hood}! Je bent nu lid.`).waitFor();

    // B: asks for help
    await pb.getByRole('link', { name: 'Plaats een vraag of aanbod' }).click();
    await pb.getByRole('heading', { level: 1, name: 'Nieuwe vraag of aanbod' }).waitFor();
    await axe(pb, 'new post');
    await pb.getByLabel('Ik vraag iets').check();
    await pb.getByLabel('Hulp & zorg').check();
    const title = 'Boodschappen doen ' + id.slice(-4);
    await pb.getByLabel('Titel', { exact: true }).fill(title);
    await pb.getByLabel('Uitleg').fill('Ik ben **ziek**. Wie kan morgen boodschappen doen?');
    await pb.getByRole('button', { name: 'Plaatsen' }).click();
    await pb.getByRole('heading', { level: 1, name: title }).waitFor();
    assert.equal(await pb.locator('.body strong').textContent(), 'ziek');
    await pb.getByText('Nog geen reacties').waitFor();
    await axe(pb, 'own post');
    const postUrl = pb.url();

    // A: sees it in the feed and responds
    await pa.getByRole('navigation').getByRole('link', { name: 'Mijn buurt' }).click();
    await pa.getByRole('link', { name: title }).click();
    await pa.getByRole('heading', { level: 1, name: title }).waitFor();
    await axe(pa, 'post of someone else');
    await pa.getByLabel(`Je bericht aan ${nameB}`).fill('Ik doe het graag. Morgen om tien uur?');
    await pa.getByRole('button', { name: 'Reactie versturen' }).click();
    await pa.getByText(`Je reactie is verstuurd. ${nameB} laat van zich horen.`).waitFor();
    await axe(pa, 'post after responding');

    // B: accepts and completes with thanks
    await pb.goto(postUrl);
    await pb.getByText('Ik doe het graag. Morgen om tien uur?').waitFor();
    await pb.getByRole('button', { name: `Kies ${nameA}` }).click();
    await pb.getByRole('heading', { name: 'Is het gelukt?' }).waitFor();
    await axe(pb, 'post with accepted response');
    await pb.getByLabel('Bedankje').fill(`Dank je wel, ${nameA}! Alles was er.`);
    await pb.getByLabel('Hoeveel uur').fill('1,5');
    await pb.getByRole('button', { name: 'Afronden met dank' }).click();
    await pb.getByText('Gelukt! Dank je wel voor het delen.').waitFor();
    await pb.getByText('Dit is gelukt en afgerond.').waitFor();

    // the trail shows it, for both
    for (const p of [pb, pa]) {
      await p.getByRole('navigation').getByRole('link', { name: 'Bedankjes' }).click();
      await p.getByRole('heading', { level: 1, name: `Bedankjes in ${hood}` }).waitFor();
      await p.getByRole('heading', { name: `${nameA} hielp ${nameB}` }).waitFor();
      await p.getByText(`Dank je wel, ${nameA}! Alles was er.`).waitFor();
      await p.getByText('1,5 uur').waitFor();
    }
    await axe(pa, 'trail');

    // log out
    await pa.getByRole('button', { name: 'Uitloggen' }).click();
    await pa.getByText('Je bent uitgelogd.').waitFor();
    await pa.getByRole('heading', { level: 1, name: 'Buren helpen elkaar' }).waitFor();
  } finally {
    await a.close();
    await b.close();
  }
});

test('asking to join: a pending member is told what happens, a manager approves', async () => {
  const c = await newContext({ geolocation: { latitude: 52.1390, longitude: 6.1950 }, permissions: ['geolocation'] });
  const m = await newContext();
  try {
    const pc = await c.newPage();
    const id = uniq();
    const nameC = 'Cor ' + id.slice(-4);
    await register(pc, base(), { name: nameC, email: `cor-${id}@example.org` });
    await pc.getByRole('heading', { level: 1, name: `Welkom, ${nameC}` }).waitFor();

    // find by name
    await pc.getByRole('navigation').getByRole('link', { name: 'Buurt zoeken' }).click();
    await pc.getByRole('heading', { level: 1, name: 'Zoek je buurt' }).waitFor();
    await pc.getByLabel('Naam van de buurt of plaats').fill('hoven');
    await pc.getByRole('button', { name: 'Zoeken' }).click();
    await pc.getByRole('link', { name: 'De Hoven' }).waitFor();
    assert.equal(await pc.getByRole('link', { name: 'Binnenstad' }).count(), 0);
    await axe(pc, 'find by name');

    // near me, through the browser's location
    await pc.getByRole('button', { name: 'Buurten bij mij in de buurt' }).click();
    await pc.getByRole('link', { name: 'Binnenstad' }).waitFor();
    const names = await pc.locator('.cards h3').allTextContents();
    assert.equal(names[0], 'Binnenstad', 'nearest first: ' + names.join(', '));
    await pc.getByRole('link', { name: 'Binnenstad' }).click();

    // ask to join without a code
    await pc.getByRole('heading', { level: 1, name: 'Lid worden van Binnenstad' }).waitFor();
    await pc.getByRole('button', { name: 'Vraag om lid te worden' }).click();
    await pc.getByRole('heading', { level: 1, name: 'Je aanvraag is verstuurd' }).waitFor();
    await pc.getByText('Je hebt gevraagd om lid te worden van Binnenstad.').waitFor();
    await pc.getByText('Een beheerder van de buurt kijkt naar je aanvraag.', { exact: false }).waitFor();
    await axe(pc, 'pending member');
    await pc.getByRole('navigation').getByRole('link', { name: 'Mijn pagina' }).click();
    await pc.getByText('bewoner, wacht op goedkeuring').waitFor();

    // the manager approves
    const pm = await m.newPage();
    await login(pm, base(), 'anna@example.org');
    await pm.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
    await pm.getByRole('heading', { level: 1, name: 'Beheer van Binnenstad' }).waitFor();
    await pm.getByRole('heading', { name: nameC }).waitFor();
    await axe(pm, 'manage with pending members');
    await pm.getByRole('button', { name: `Keur ${nameC} goed` }).click();
    await pm.getByText(`${nameC} is nu lid.`).waitFor();
    assert.equal(await pm.getByRole('button', { name: `Keur ${nameC} goed` }).count(), 0);

    // now the member sees the feed
    await pc.goto(base() + '/');
    await pc.getByRole('heading', { level: 1, name: 'Vraag en aanbod in Binnenstad' }).waitFor();
    await pc.locator('.cards li').first().waitFor();
    await axe(pc, 'feed after approval');
  } finally {
    await c.close();
    await m.close();
  }
});

test('validation errors are shown at the right field, as the user types and from the API', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    // from the API: the server's `fields` codes, at the field, in Dutch
    await register(p, base(), { name: 'Test', email: 'iemand@localhost' });
    const email = p.getByLabel('E-mailadres');
    await p.locator('#email-error').getByText('Dit klopt niet. Kijk het nog eens na.').waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.match(await email.getAttribute('aria-describedby'), /\bemail-error\b/);
    assert.equal(await p.locator('#display_name-error').count(), 0);
    await p.getByRole('alert').getByText('Niet alles is goed ingevuld').waitFor();
    await axe(p, 'register with an API error');

    // as the user types, in the post form
    await login(p, base(), 'henk@example.org');
    await p.goto(base() + '/neighbourhoods/1/new');
    const title = p.getByLabel('Titel', { exact: true });
    await title.fill('Hi');
    await title.blur();
    await p.locator('#title-error').getByText('Dit is te kort: minstens 3 tekens.').waitFor();
    assert.match(await title.getAttribute('aria-describedby'), /\btitle-error\b/);
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    await axe(p, 'new post with errors');
    await title.pressSequentially('j!');
    await p.locator('#title-error').waitFor({ state: 'detached' });
    assert.equal(await title.getAttribute('aria-invalid'), null);

    const body = p.getByLabel('Uitleg');
    await body.fill('x'.repeat(5001));
    await p.locator('#body-error').getByText(/Dit is te lang: hoogstens 5\.?000 tekens\./).waitFor();
    await body.fill('Kort genoeg.');
    await p.locator('#body-error').waitFor({ state: 'detached' });

    await p.getByLabel('Zichtbaar tot en met').fill('2020-01-01');
    await p.locator('#expires_at-error').getByText('Deze datum is al voorbij').waitFor();
    await p.getByLabel('Zichtbaar tot en met').fill(new Date(Date.now() + 500 * 864e5).toISOString().slice(0, 10));
    await p.locator('#expires_at-error').getByText('Deze datum is te ver weg').waitFor();

    // submitting with kind and category missing: both named, focus on the first
    await p.getByRole('button', { name: 'Plaatsen' }).click();
    await p.locator('#kind-error').getByText('Vul dit in.').waitFor();
    await p.locator('#category-error').getByText('Vul dit in.').waitFor();
    await p.waitForFunction(() => document.activeElement?.getAttribute('name') === 'kind', null, { timeout: 5000 });
    await axe(p, 'new post after a failed submit');
    assert.match(p.url(), /\/neighbourhoods\/1\/new$/);
  } finally {
    await ctx.close();
  }
});

test('switching language: English everywhere, remembered, and back to Dutch', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await p.goto(base() + '/');
    assert.equal(await p.getAttribute('html', 'lang'), 'nl');
    await p.getByRole('button', { name: 'Switch to English' }).click();
    await p.getByRole('heading', { level: 1, name: 'Neighbours help each other' }).waitFor();
    await p.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
    await axe(p, 'welcome in English');
    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'Neighbours help each other' }).waitFor();

    await p.getByRole('navigation').getByRole('link', { name: 'Log in' }).click();
    await p.getByLabel('Email address').fill('henk@example.org');
    await p.getByLabel('Password').fill('noaber-demo');
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.getByRole('heading', { level: 1, name: 'Asks and offers in Binnenstad' }).waitFor();
    await p.getByRole('group', { name: 'Topic' }).getByText('Help & care').waitFor();
    await axe(p, 'feed in English');

    await p.getByRole('navigation').getByRole('link', { name: 'My page' }).click();
    await p.getByRole('heading', { level: 1, name: 'My page' }).waitFor();
    await p.getByText('resident, member').waitFor();
    await axe(p, 'my page in English');
    await p.getByRole('radio', { name: 'Nederlands' }).check();
    await p.getByRole('heading', { level: 1, name: 'Mijn pagina' }).waitFor();
    await p.waitForFunction(() => document.documentElement.lang === 'nl', null, { timeout: 5000 });
    await p.getByText('bewoner, lid').waitFor();
    await axe(p, 'my page in Dutch');
  } finally {
    await ctx.close();
  }
});

async function tabTo(page, test, max = 15) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return;
  }
  throw new Error('could not reach the element with Tab: ' + test);
}

test('creating a post with the keyboard alone', async () => {
  const ctx = await newContext();
  try {
    const p = await ctx.newPage();
    await login(p, base(), 'henk@example.org');
    await p.getByRole('heading', { level: 1, name: 'Vraag en aanbod in Binnenstad' }).waitFor();
    const kb = p.keyboard;
    await tabTo(p, () => document.activeElement?.textContent === 'Plaats een vraag of aanbod');
    await kb.press('Enter');
    await p.getByRole('heading', { level: 1, name: 'Nieuwe vraag of aanbod' }).waitFor();
    // Focus moves to the new page's heading (set just after it renders).
    await p.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5000 });

    await tabTo(p, () => document.activeElement?.getAttribute('name') === 'kind');
    await kb.press('Space');          // Ik vraag iets
    await kb.press('ArrowDown');      // Ik bied iets aan
    await tabTo(p, () => document.activeElement?.getAttribute('name') === 'category', 2);
    await kb.press('Space');          // Spullen
    await kb.press('ArrowDown');      // Kennis
    await tabTo(p, () => document.activeElement?.id === 'title', 2);
    await kb.type('Bijles rekenen voor de buurt');
    await tabTo(p, () => document.activeElement?.id === 'body', 2);
    await kb.type('Ik help kinderen met **rekenen**.');
    await tabTo(p, () => document.activeElement?.getAttribute('name') === 'visibility', 2);
    await kb.press('ArrowDown');      // nearby
    await tabTo(p, () => document.activeElement?.getAttribute('type') === 'submit', 8);
    await kb.press('Enter');

    await p.getByRole('heading', { level: 1, name: 'Bijles rekenen voor de buurt' }).waitFor();
    await p.getByText('Je bericht is geplaatst.').waitFor();
    const badges = await p.locator('.kinds .badge').allTextContents();
    assert.deepEqual(badges.map((s) => s.trim()), ['Aanbod', 'Kennis', 'Open']);
    assert.equal(await p.locator('.body strong').textContent(), 'rekenen');
    await axe(p, 'post made with the keyboard');
  } finally {
    await ctx.close();
  }
});

test('first load of the feed weighs at most 60 KB compressed', async () => {
  const ctx = await newContext();
  try {
    const r = await ctx.request.post(base() + '/api/v1/auth/login', { data: { email: 'henk@example.org', password: 'noaber-demo' } });
    assert.equal(r.status(), 200);
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const info = new Map();
    cdp.on('Network.responseReceived', (e) => {
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      info.set(e.requestId, { type: e.type, url: e.response.url, encoding: h['content-encoding'] ?? 'none' });
    });
    const sizes = new Map();
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    await p.goto(base() + '/neighbourhoods/1');
    await p.getByRole('heading', { level: 1, name: 'Vraag en aanbod in Binnenstad' }).waitFor();
    await p.locator('.cards li').first().waitFor();
    await p.waitForLoadState('networkidle');
    let core = 0;
    let all = 0;
    const lines = [];
    for (const [id, i] of info) {
      const n = sizes.get(id) ?? 0;
      all += n;
      if (['Document', 'Script', 'Stylesheet'].includes(i.type)) {
        core += n;
        lines.push(`#   ${i.type} ${new URL(i.url).pathname} ${n} B (${i.encoding})`);
        assert.notEqual(i.encoding, 'none', `${i.url} was sent uncompressed`);
      }
    }
    console.log(`# first feed load: ${core} B transferred for HTML+JS+CSS (${(core / 1024).toFixed(1)} KiB), ${all} B with API calls and icon`);
    console.log(lines.join('\n'));
    assert.ok(core > 1000, 'measured something');
    assert.ok(core <= 60 * 1024, `first load ${core} B is over the 60 KB budget`);
  } finally {
    await ctx.close();
  }
});

test('screenshots of the main pages at phone and desktop width (and 320 px without sideways scrolling)', async () => {
  const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
  for (const [size, viewport] of Object.entries(sizes)) {
    for (const scheme of size === 'phone' ? ['light', 'dark'] : ['light']) {
      const ctx = await newContext({ viewport, colorScheme: scheme, reducedMotion: 'reduce' });
      const suffix = `${size}${scheme === 'dark' ? '-dark' : ''}`;
      try {
        const p = await ctx.newPage();
        await p.goto(base() + '/');
        await p.getByRole('heading', { level: 1 }).waitFor();
        await shot(p, `welcome-${suffix}`);
        await axe(p, `welcome ${suffix}`);
        await login(p, base(), 'anna@example.org');
        await p.getByRole('heading', { level: 1, name: 'Vraag en aanbod in Binnenstad' }).waitFor();
        await p.locator('.cards li').first().waitFor();
        await shot(p, `feed-${suffix}`);
        await axe(p, `feed ${suffix}`);
        if (scheme === 'dark') continue;
        await p.locator('.cards li h2 a').first().click();
        await p.locator('.body').waitFor();
        await shot(p, `post-${suffix}`);
        await axe(p, `post ${suffix}`);
        const pages = [
          ['new-post', '/neighbourhoods/1/new', 'Nieuwe vraag of aanbod'],
          ['thanks', '/neighbourhoods/1/thanks', 'Bedankjes in Binnenstad'],
          ['manage', '/neighbourhoods/1/manage', 'Beheer van Binnenstad'],
          ['me', '/me', 'Mijn pagina'],
          ['find', '/find', 'Zoek je buurt'],
        ];
        for (const [name, path, heading] of pages) {
          await p.goto(base() + path);
          await p.getByRole('heading', { level: 1, name: heading }).waitFor();
          await p.waitForLoadState('networkidle');
          if (name === 'manage') {
            await p.getByRole('button', { name: 'Maak een uitnodiging' }).click();
            await p.getByTestId('invite-code').waitFor();
          }
          await shot(p, `${name}-${suffix}`);
          await axe(p, `${name} ${suffix}`);
        }
        if (size === 'phone') {
          await p.setViewportSize({ width: 320, height: 640 });
          for (const path of ['/neighbourhoods/1', '/neighbourhoods/1/new', '/neighbourhoods/1/manage']) {
            await p.goto(base() + path);
            await p.getByRole('heading', { level: 1 }).waitFor();
            await p.waitForLoadState('networkidle');
            const w = await p.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(w <= 320, `${path} scrolls sideways at 320 px (${w} px wide)`);
          }
        }
      } finally {
        await ctx.close();
      }
    }
  }
});

test('feed filters by kind and category, and pages with "show more"', async () => {
  const ctx = await newContext();
  try {
    const id = uniq();
    const api = ctx.request;
    const reg = await api.post(base() + '/api/v1/auth/register', {
      data: { email: `dora-${id}@example.org`, password: 'noaber-demo', display_name: 'Dora' },
    });
    assert.equal(reg.status(), 201);
    const headers = { 'X-CSRF-Token': (await reg.json()).csrf_token };
    const hood = await api.post(base() + '/api/v1/neighbourhoods', {
      headers, data: { name: 'Pagina ' + id.slice(-4), region: 'Paging ' + id, lat: -33.9, lon: 18.4 },
    });
    assert.equal(hood.status(), 201);
    const hoodId = (await hood.json()).neighbourhood.id;
    const cats = ['goods', 'knowledge', 'money', 'contacts', 'care'];
    for (let i = 1; i <= 21; i++) {
      const r = await api.post(base() + `/api/v1/neighbourhoods/${hoodId}/posts`, {
        headers,
        data: { kind: i % 3 === 0 ? 'ask' : 'offer', category: cats[i % 5], title: `Bericht nummer ${i}`, body: 'Test.' },
      });
      assert.equal(r.status(), 201);
    }
    const p = await ctx.newPage();
    await p.goto(base() + `/neighbourhoods/${hoodId}`);
    await p.getByRole('heading', { level: 1, name: /^Vraag en aanbod in Pagina/ }).waitFor();
    const cards = p.locator('.cards > li');
    await cards.nth(19).waitFor();
    assert.equal(await cards.count(), 20);
    await p.getByText('20 berichten getoond').waitFor();
    await p.getByRole('button', { name: 'Meer laten zien' }).click();
    await p.getByText('21 berichten getoond').waitFor();
    // Focus goes to the first new post (set just after it renders).
    await p.waitForFunction(() => document.activeElement?.textContent === 'Bericht nummer 1', null, { timeout: 5000 });
    assert.equal(await p.getByRole('button', { name: 'Meer laten zien' }).count(), 0);
    await axe(p, 'feed after show more');

    // kind: asks only (7 of them: 3, 6, ..., 21)
    await p.getByRole('group', { name: 'Soort' }).getByLabel('Vragen').check();
    await p.getByText('7 berichten getoond').waitFor();
    for (const b of await p.locator('.cards .kind-ask, .cards .kind-offer').allTextContents()) assert.equal(b, 'Vraag');
    // and a category: asks about money (i % 5 == 2 and i % 3 == 0: 12)
    await p.getByRole('group', { name: 'Onderwerp' }).getByLabel('Geld').check();
    await p.getByText('1 bericht getoond').waitFor();
    await p.getByRole('link', { name: 'Bericht nummer 12' }).waitFor();
    // asks about contacts: 3 and 18
    await p.getByRole('group', { name: 'Onderwerp' }).getByLabel('Contacten').check();
    await p.getByText('2 berichten getoond').waitFor();
    await p.getByRole('group', { name: 'Soort' }).getByLabel('Alles').check();
    await p.getByRole('group', { name: 'Onderwerp' }).getByLabel('Alles').check();
    await p.getByText('20 berichten getoond').waitFor();
    await axe(p, 'feed with filters');
  } finally {
    await ctx.close();
  }
});
