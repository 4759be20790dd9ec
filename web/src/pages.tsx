// Welcome, accounts, neighbourhoods (find, found, join), my page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, qs, type Me, type Membership, type Neighbourhood, type User } from './api';
import { formatDate, type Lang } from './i18n';
import { MyProfessional, ProJoinHint } from './professionals';
import { ErrorText, Field, fieldMessage, focusFirstError, homeOf, Loading, Page, Radios, useApp } from './ui';
import { HouseRulesSection, type HouseRules } from './moderation';

type Errors = Record<string, string>;

/** Turns an API error into field messages; returns a form-level message otherwise. */
function useApiErrors() {
  const { t } = useApp();
  return (e: unknown, setErrors: (e: Errors) => void, setFormError: (s: string) => void) => {
    if (e instanceof ApiError && e.code === 'validation_failed') {
      const out: Errors = {};
      for (const [f, code] of Object.entries(e.fields)) out[f] = fieldMessage(t, f, code);
      setErrors(out);
      setFormError(t('form.hasErrors'));
    } else if (e instanceof ApiError && e.code === 'rate_limited') {
      setFormError(t('auth.rateLimited'));
    } else if (e instanceof ApiError && e.code === 'offline') {
      setFormError(t('app.offline'));
    } else {
      setFormError(t('app.error'));
    }
  };
}

export function Home() {
  const { t, me, go } = useApp();
  const home = homeOf(me);
  useEffect(() => {
    if (home) go('/neighbourhoods/' + home.neighbourhood.id, true);
  }, []);
  if (home) return null;
  if (me) {
    return (
      <Page title={t('welcome.homeTitle', { name: me.user.display_name })}>
        <p>{t('welcome.noHome')}</p>
        <p class="actions">
          <a class="button primary" href="/find">{t('nav.find')}</a>
          <a class="button" href="/found">{t('nav.found')}</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('welcome.title')}>
      <p class="lead">{t('welcome.p1')}</p>
      <p class="lead">{t('welcome.p2')}</p>
      <p class="actions">
        <a class="button primary" href="/register">{t('welcome.start')}</a>
        <a class="button" href="/login">{t('welcome.login')}</a>
      </p>
      <p><a href="/find">{t('welcome.find')}</a></p>
    </Page>
  );
}

/** Where to go after login or register. */
function afterAuth(me: Me, next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  const home = homeOf(me);
  return home ? '/neighbourhoods/' + home.neighbourhood.id : '/';
}

export function Login() {
  const { t, setMe, go, query, refreshMe, me } = useApp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const next = query.get('next');
  useEffect(() => { if (me) go(afterAuth(me, next), true); }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setFormError('');
    try {
      await api.post<{ user: User; csrf_token: string }>('/auth/login', { email, password });
      const m = await refreshMe();
      if (m) { setMe(m); go(afterAuth(m, next)); }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_credentials') setFormError(t('auth.badLogin'));
      else if (err instanceof ApiError && err.code === 'rate_limited') setFormError(t('auth.rateLimited'));
      else setFormError(t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  const regHref = '/register' + (next ? '?next=' + encodeURIComponent(next) : '');
  return (
    <Page title={t('auth.loginTitle')}>
      {next?.startsWith('/join/') && <p>{t('join.loginFirst')}</p>}
      <form onSubmit={submit} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Field id="email" label={t('auth.email')} type="email" autocomplete="email" value={email} onInput={setEmail} />
        <Field id="password" label={t('auth.password')} type="password" autocomplete="current-password" value={password} onInput={setPassword} />
        <button class="primary" type="submit" disabled={busy}>{t('auth.login')}</button>
      </form>
      <p><a href={regHref}>{t('auth.toRegister')}</a></p>
    </Page>
  );
}

export function Register() {
  const { t, lang, setMe, go, query, refreshMe, me } = useApp();
  const [v, setV] = useState({ display_name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const handle = useApiErrors();
  const next = query.get('next');
  useEffect(() => { if (me) go(afterAuth(me, next), true); }, []);

  function check(vals = v): Errors {
    const out: Errors = {};
    const name = vals.display_name.trim();
    if (!name) out.display_name = fieldMessage(t, 'display_name', 'required');
    else if ([...name].length > 60) out.display_name = fieldMessage(t, 'display_name', 'too_long');
    const email = vals.email.trim();
    if (!email) out.email = fieldMessage(t, 'email', 'required');
    else if (!/^[^\s@]+@[^\s@]+$/.test(email)) out.email = fieldMessage(t, 'email', 'invalid');
    if (!vals.password) out.password = fieldMessage(t, 'password', 'required');
    else if ([...vals.password].length < 8) out.password = fieldMessage(t, 'password', 'too_short');
    else if ([...vals.password].length > 128) out.password = fieldMessage(t, 'password', 'too_long');
    return out;
  }
  const set = (k: keyof typeof v) => (val: string) => {
    const nv = { ...v, [k]: val };
    setV(nv);
    // validate as the user types, once a message is showing for that field
    if (errors[k]) setErrors({ ...errors, [k]: check(nv)[k] ?? '' });
  };

  async function submit(e: Event) {
    e.preventDefault();
    setFormError('');
    const errs = check();
    if (Object.keys(errs).length) {
      setErrors(errs);
      setFormError(t('form.hasErrors'));
      focusFirstError(form.current);
      return;
    }
    setBusy(true);
    try {
      await api.post('/auth/register', { ...v, email: v.email.trim(), display_name: v.display_name.trim(), locale: lang });
      const m = await refreshMe();
      if (m) { setMe(m); go(afterAuth(m, next)); }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_taken') {
        setErrors({ email: t('field.email_taken') });
        setFormError(t('form.hasErrors'));
      } else {
        handle(err, setErrors, setFormError);
      }
      focusFirstError(form.current);
    } finally {
      setBusy(false);
    }
  }
  const loginHref = '/login' + (next ? '?next=' + encodeURIComponent(next) : '');
  return (
    <Page title={t('auth.registerTitle')}>
      {next?.startsWith('/join/') && <p>{t('join.loginFirst')}</p>}
      <form ref={form} onSubmit={submit} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Field id="display_name" label={t('auth.name')} hint={t('auth.nameHint')} autocomplete="name"
          value={v.display_name} onInput={set('display_name')} error={errors.display_name} required />
        <Field id="email" label={t('auth.email')} hint={t('auth.emailHint')} type="email" autocomplete="email"
          value={v.email} onInput={set('email')} error={errors.email} required />
        <Field id="password" label={t('auth.password')} hint={t('auth.passwordHint')} type="password"
          autocomplete="new-password" value={v.password} onInput={set('password')} error={errors.password} required />
        <button class="primary" type="submit" disabled={busy}>{t('auth.register')}</button>
      </form>
      <p><a href={loginHref}>{t('auth.toLogin')}</a></p>
    </Page>
  );
}

function geolocate(): Promise<{ lat: number; lon: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('no geolocation')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      reject,
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
}

export function Find() {
  const { t } = useApp();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Neighbourhood[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function search(params: Record<string, string>) {
    setError(null);
    try {
      const r = await api.get<{ neighbourhoods: Neighbourhood[] }>('/neighbourhoods' + qs(params));
      setResults(r.neighbourhoods);
    } catch (e) {
      setError(e);
    }
  }
  async function near() {
    setStatus(t('find.nearBusy'));
    try {
      const p = await geolocate();
      setStatus('');
      await search({ near: `${p.lat.toFixed(5)},${p.lon.toFixed(5)}` });
    } catch {
      setStatus(t('find.nearFailed'));
    }
  }
  return (
    <Page title={t('find.title')}>
      <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); search({ q: q.trim() }); }}>
        <Field id="q" label={t('find.q')} type="search" value={q} onInput={setQ} />
        <div class="actions">
          <button class="primary" type="submit">{t('find.search')}</button>
          <button type="button" onClick={near}>{t('find.near')}</button>
        </div>
      </form>
      <p role="status" class="muted">{status}</p>
      <ErrorText error={error} />
      {results && (
        <section aria-labelledby="results-h">
          <h2 id="results-h">{t('find.results')}</h2>
          {results.length === 0 ? <p>{t('find.none')}</p> : (
            <ul class="cards">
              {results.map((n) => (
                <li class="card" key={n.id}>
                  <h3><a href={'/join/' + n.id}>{n.name}</a></h3>
                  <p class="muted">{n.region} · {t('find.members', { n: n.member_count })}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <p><a href="/found">{t('find.foundLink')}</a></p>
    </Page>
  );
}

export function Found() {
  const { t, me, go, refreshMe } = useApp();
  const [v, setV] = useState({ name: '', region: '', lat: '', lon: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const handle = useApiErrors();
  if (homeOf(me)) {
    return <Page title={t('found.title')}><p>{t('found.hasHome')}</p></Page>;
  }
  const set = (k: keyof typeof v) => (val: string) => setV({ ...v, [k]: val });

  function check(): Errors {
    const out: Errors = {};
    for (const k of ['name', 'region'] as const) {
      const n = [...v[k].trim()].length;
      if (!n) out[k] = fieldMessage(t, k, 'required');
      else if (n < 2) out[k] = fieldMessage(t, k, 'too_short');
      else if (n > 80) out[k] = fieldMessage(t, k, 'too_long');
    }
    for (const k of ['lat', 'lon'] as const) {
      const s = v[k].trim().replace(',', '.');
      const lim = k === 'lat' ? 90 : 180;
      if (!s) out[k] = fieldMessage(t, k, 'required');
      else if (!isFinite(+s) || Math.abs(+s) > lim) out[k] = fieldMessage(t, k, 'out_of_range');
    }
    return out;
  }
  async function useMine() {
    setStatus(t('found.locBusy'));
    try {
      const p = await geolocate();
      setV({ ...v, lat: p.lat.toFixed(4), lon: p.lon.toFixed(4) });
      setStatus('');
    } catch {
      setStatus(t('found.locFailed'));
    }
  }
  async function submit(e: Event) {
    e.preventDefault();
    setFormError('');
    const errs = check();
    setErrors(errs);
    if (Object.keys(errs).length) { setFormError(t('form.hasErrors')); focusFirstError(form.current); return; }
    setBusy(true);
    try {
      const r = await api.post<{ neighbourhood: Neighbourhood }>('/neighbourhoods', {
        name: v.name.trim(), region: v.region.trim(),
        lat: +v.lat.trim().replace(',', '.'), lon: +v.lon.trim().replace(',', '.'),
      });
      await refreshMe();
      go('/neighbourhoods/' + r.neighbourhood.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') setFormError(t('found.hasHome'));
      else handle(err, setErrors, setFormError);
      focusFirstError(form.current);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={t('found.title')}>
      <p>{t('found.intro')}</p>
      <form ref={form} onSubmit={submit} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Field id="name" label={t('found.name')} value={v.name} onInput={set('name')} error={errors.name} required />
        <Field id="region" label={t('found.region')} hint={t('found.regionHint')} value={v.region}
          onInput={set('region')} error={errors.region} required />
        <fieldset class="group">
          <legend>{t('found.location')}</legend>
          <p class="hint">{t('found.locationHint')}</p>
          <button type="button" onClick={useMine}>{t('found.useMine')}</button>
          <p role="status" class="muted">{status}</p>
          <Field id="lat" label={t('found.lat')} inputMode="decimal" value={v.lat} onInput={set('lat')} error={errors.lat} required />
          <Field id="lon" label={t('found.lon')} inputMode="decimal" value={v.lon} onInput={set('lon')} error={errors.lon} required />
        </fieldset>
        <button class="primary" type="submit" disabled={busy}>{t('found.submit')}</button>
      </form>
    </Page>
  );
}

export function Pending({ name, id }: { name: string; id?: number }) {
  const { t } = useApp();
  return (
    <Page title={t('pending.title')}>
      <p class="lead">{t('pending.p1', { name })}</p>
      <p>{t('pending.p2')}</p>
      <p>{t('pending.p3')}</p>
      {id !== undefined && <HouseRulesSection id={id} />}
    </Page>
  );
}

export function Join({ id }: { id: number }) {
  const { t, me, go, query, refreshMe, setFlash, path } = useApp();
  const [n, setN] = useState<Neighbourhood | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState(query.get('code') ?? '');
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<{ neighbourhood: Neighbourhood }>('/neighbourhoods/' + id).then((r) => setN(r.neighbourhood), setError);
  }, [id]);
  if (error) {
    return <Page title={t('app.notFound')}><ErrorText error={error} /></Page>;
  }
  if (!n) return <Page title={t('app.loading')}><Loading /></Page>;
  const home = homeOf(me);

  async function join(withCode: boolean) {
    setBusy(true);
    setFormError('');
    try {
      const r = await api.post<{ membership: Membership; invite_code?: string; house_rules?: HouseRules }>(
        `/neighbourhoods/${id}/join`, withCode && code.trim() ? { invite_code: code.trim() } : {});
      await refreshMe();
      if (r.membership.status === 'verified') setFlash(t('join.done', { name: n!.name }));
      else if (r.invite_code === 'invalid') setFlash(t('field.invite_invalid'));
      // a new member reads the house rules first, when there are any
      const verified = r.membership.status === 'verified';
      go('/neighbourhoods/' + id + (verified && r.house_rules?.html ? '/house-rules?welcome=1' : ''));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') setFormError(t('join.already'));
      else setFormError(t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  const next = encodeURIComponent(path + (code ? '?code=' + encodeURIComponent(code) : ''));
  return (
    <Page title={t('join.title', { name: n.name })}>
      <p class="muted">{t('join.region', { region: n.region })} · {t('join.members', { n: n.member_count })}</p>
      <ProJoinHint id={id} />
      {!me ? (
        <>
          <p>{t('join.loginFirst')}</p>
          <p class="actions">
            <a class="button primary" href={'/register?next=' + next}>{t('nav.register')}</a>
            <a class="button" href={'/login?next=' + next}>{t('nav.login')}</a>
          </p>
        </>
      ) : home ? (
        <p>{t('join.already')} <a href={'/neighbourhoods/' + home.neighbourhood.id}>{home.neighbourhood.name}</a></p>
      ) : (
        <>
          <p>{t('join.intro')}</p>
          <form onSubmit={(e) => { e.preventDefault(); join(true); }} noValidate>
            {formError && <p class="alert" role="alert">{formError}</p>}
            <Field id="invite_code" label={t('join.code')} hint={t('join.codeHint')} autocomplete="off"
              value={code} onInput={setCode} />
            <div class="actions">
              <button class="primary" type="submit" disabled={busy || !code.trim()}>{t('join.withCode')}</button>
              <button type="button" disabled={busy} onClick={() => join(false)}>{t('join.ask')}</button>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}

export function MyPage() {
  const { t, me, lang, setLang } = useApp();
  if (!me) return null;
  return (
    <Page title={t('me.title')}>
      <dl class="facts">
        <dt>{t('me.name')}</dt><dd>{me.user.display_name}</dd>
        <dt>{t('me.email')}</dt><dd>{me.user.email}</dd>
      </dl>
      <Radios name="language" legend={t('me.language')} value={lang} onChange={(v) => setLang(v as Lang)}
        options={[{ value: 'nl', label: 'Nederlands' }, { value: 'en', label: 'English' }]} />
      <h2>{t('me.memberships')}</h2>
      {me.memberships.length === 0 ? (
        <p>{t('me.noMemberships')} <a href="/find">{t('nav.find')}</a></p>
      ) : (
        <ul class="cards">
          {me.memberships.map((m) => (
            <li class="card" key={m.neighbourhood.id}>
              <h3><a href={'/neighbourhoods/' + m.neighbourhood.id}>{m.neighbourhood.name}</a></h3>
              <p class="muted">
                {t('me.membership', { role: t(('role.' + m.role) as any), status: t(('mstatus.' + m.status) as any) })}
                {m.joined_at ? ' · ' + formatDate(lang, m.joined_at) : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
      <MyProfessional />
    </Page>
  );
}

export function NotFound() {
  const { t } = useApp();
  return (
    <Page title={t('app.notFound')}>
      <p><a href="/">{t('app.notFoundLink')}</a></p>
    </Page>
  );
}
