import { render } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import './style.css';
import { api, ApiError, setCsrf, type Me } from './api';
import { storedLang, storeLang, translator, type Lang } from './i18n';
import { Ctx, homeOf, markNavigated, useApp, type AppCtx } from './ui';
import { Found, Find, Home, Join, Login, MyPage, NotFound, Register } from './pages';
import { Feed, Manage, NewPost, PostPage, Trail } from './market';
import { Health } from './health';
import { ProfessionalsPage, ProSettingsPage } from './professionals';
import { Bell, notificationsRoute } from './notifications';
import { moderationRoute } from './moderation';
import { Dashboard } from './dashboard';

type Loc = { path: string; search: string };
const here = (): Loc => ({ path: location.pathname, search: location.search });

function route(path: string, loggedIn: boolean) {
  let m: RegExpMatchArray | null;
  if (path === '/') return <Home />;
  if (path === '/login') return <Login />;
  if (path === '/register') return <Register />;
  if (path === '/find') return <Find />;
  if ((m = path.match(/^\/join\/(\d+)$/))) return <Join id={+m[1]} />;
  if (!loggedIn) return null; // the rest needs login
  if (path === '/found') return <Found />;
  if (path === '/me') return <MyPage />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)$/))) return <Feed id={+m[1]} key={m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/new$/))) return <NewPost id={+m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/thanks$/))) return <Trail id={+m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/manage$/))) return <Manage id={+m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/health$/))) return <Health id={+m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/professionals$/))) return <ProfessionalsPage id={+m[1]} key={m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/professionals\/settings$/))) return <ProSettingsPage id={+m[1]} />;
  if ((m = path.match(/^\/neighbourhoods\/(\d+)\/dashboard$/))) return <Dashboard id={+m[1]} />;
  if ((m = path.match(/^\/posts\/(\d+)$/))) return <PostPage id={+m[1]} key={m[1]} />;
  const extra = notificationsRoute(path) ?? moderationRoute(path);
  if (extra) return extra;
  return <NotFound />;
}

function Nav() {
  const { t, me, path, go, setMe, setFlash } = useApp();
  const home = homeOf(me);
  const links: [string, string][] = [];
  if (!me) {
    links.push(['/', t('nav.welcome')], ['/find', t('nav.find')], ['/login', t('nav.login')], ['/register', t('nav.register')]);
  } else if (home && home.status === 'verified') {
    const base = '/neighbourhoods/' + home.neighbourhood.id;
    links.push([base, t('nav.feed')], [base + '/new', t('nav.newPost')], [base + '/thanks', t('nav.thanks')]);
    links.push([base + '/health', t('nav.health')]);
    links.push([base + '/professionals', t('nav.professionals')]);
    if (home.role === 'manager') links.push([base + '/manage', t('nav.manage')]);
    else if (home.connector) links.push([base + '/dashboard', t('dash.nav')]);
    links.push(['/me', t('nav.me')]);
  } else if (home) {
    links.push(['/neighbourhoods/' + home.neighbourhood.id, t('nav.feed')], ['/me', t('nav.me')]);
  } else {
    links.push(['/find', t('nav.find')], ['/found', t('nav.found')], ['/me', t('nav.me')]);
  }
  async function logout() {
    try { await api.post('/auth/logout'); } catch { /* the session is gone either way */ }
    setCsrf('');
    setMe(null);
    setFlash(t('auth.loggedOut'));
    go('/');
  }
  return (
    <nav aria-label={t('nav.label')}>
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href} aria-current={path === href ? 'page' : undefined}>{label}</a>
          </li>
        ))}
        {me && (
          <li><button type="button" class="linkish" onClick={logout}>{t('nav.logout')}</button></li>
        )}
      </ul>
    </nav>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>(storedLang() ?? 'nl');
  const [me, setMeState] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [loc, setLoc] = useState<Loc>(here());
  const [flash, setFlash] = useState('');
  const t = useMemo(() => translator(lang), [lang]);

  const setLang = useCallback((l: Lang) => { storeLang(l); setLangState(l); }, []);
  const setMe = useCallback((m: Me | null) => {
    setMeState(m);
    if (m) setCsrf(m.csrf_token);
  }, []);
  const refreshMe = useCallback(async () => {
    try {
      const m = await api.get<Me>('/me');
      setMe(m);
      return m;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { setMe(null); return null; }
      throw e;
    }
  }, []);
  const go = useCallback((path: string, replace = false) => {
    markNavigated();
    if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
    setLoc(here());
    window.scrollTo(0, 0);
  }, []);

  useEffect(() => {
    refreshMe().then((m) => {
      if (m && !storedLang()) setLangState(m.user.locale);
    }).catch(() => {}).finally(() => setReady(true));
    const onPop = () => { markNavigated(); setLoc(here()); };
    // Internal links navigate without a page load.
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element).closest?.('a');
      if (!a || a.target || a.hasAttribute('download')) return;
      const href = a.getAttribute('href');
      if (!href || !href.startsWith('/') || href.startsWith('//')) return;
      e.preventDefault();
      go(href);
    };
    addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => { removeEventListener('popstate', onPop); document.removeEventListener('click', onClick); };
  }, []);

  // In the same commit as the new texts, so <html lang> never lags behind them.
  useLayoutEffect(() => { document.documentElement.lang = lang; }, [lang]);

  const query = useMemo(() => new URLSearchParams(loc.search), [loc.search]);
  const ctx: AppCtx = { lang, t, setLang, me, setMe, refreshMe, go, path: loc.path, query, flash, setFlash };

  let content = ready ? route(loc.path, !!me) : null;
  if (ready && content === null) {
    // needs login: go there, and come back afterwards
    const next = encodeURIComponent(loc.path + loc.search);
    setTimeout(() => go('/login?next=' + next, true), 0);
  }

  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <div class="bar">
          <a class="brand" href="/">
            <svg width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="7" class="brand-bg" />
              <path d="M6 17 16 8l10 9v8H6z" class="brand-fg" />
            </svg>
            <span>{t('app.name')}</span>
          </a>
          {ready && me && <Bell />}
          <button type="button" class="lang" lang={other} aria-label={t('lang.switchLabel')}
            onClick={() => setLang(other)}>{t('lang.switch')}</button>
        </div>
        {ready && <Nav />}
      </header>
      <main id="main" tabIndex={-1}>
        {ready ? content : <p class="muted">{t('app.loading')}</p>}
      </main>
    </Ctx.Provider>
  );
}

render(<App />, document.getElementById('app')!);
