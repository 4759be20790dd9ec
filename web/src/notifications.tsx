// In-app notifications: the bell in the header with the unread count, and
// the notifications page (docs/api.md, "Notifications").
import { useEffect, useState } from 'preact/hooks';
import { api, qs, type Person } from './api';
import { formatDate, type Key, type Lang, type T } from './i18n';
import { ErrorText, homeOf, Loading, Page, useApp } from './ui';

/** A step of a professional's access (docs/api.md, "Notifications"). */
export type AccessEvent = {
  id: number; event: string; neighbourhood: { id: number; name: string }; professional: Person;
  rule: string | null; purpose: string | null;
};
export type Notification = {
  id: number; kind: string; post: { id: number; title: string } | null; actor: Person | null;
  access_event?: AccessEvent | null; created_at: string; read: boolean;
};
type NotificationPage = { notifications: Notification[]; unread: number; next_cursor: string | null };

// The unread count, shared by the bell and the page (which changes it).
let unread = 0;
const listeners = new Set<(n: number) => void>();
function setUnread(n: number) {
  unread = n;
  listeners.forEach((f) => f(n));
}
async function fetchUnread() {
  try {
    const r = await api.get<NotificationPage>('/me/notifications?limit=1');
    setUnread(r.unread);
  } catch { /* the bell keeps its last count */ }
}

const POLL_MS = 60_000;

/** Header link to the notifications page, with the unread count. */
export function Bell() {
  const { t, path, me } = useApp();
  const [n, setN] = useState(unread);
  useEffect(() => {
    listeners.add(setN);
    return () => { listeners.delete(setN); };
  }, []);
  // on every navigation
  useEffect(() => { fetchUnread(); }, [path, me?.user.id]);
  // and every minute while the page is visible
  useEffect(() => {
    const tick = () => { if (document.visibilityState === 'visible') fetchUnread(); };
    const timer = setInterval(tick, POLL_MS);
    const onVisible = () => { if (document.visibilityState === 'visible') fetchUnread(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => { clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); };
  }, []);
  const label = n === 0 ? t('notif.bell') : n === 1 ? t('notif.bellUnreadOne') : t('notif.bellUnread', { n });
  return (
    <a class="bell" href="/notifications" aria-label={label} aria-current={path === '/notifications' ? 'page' : undefined}>
      <svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false"
        fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
        <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 21h4" />
      </svg>
      {n > 0 && <span class="count-badge" aria-hidden="true">{n > 99 ? '99+' : n}</span>}
    </a>
  );
}

/** "5 minutes ago", "yesterday", in the page's language. */
export function relativeTime(lang: Lang, iso: string, now = Date.now()): string {
  const d = new Date(iso).getTime();
  if (isNaN(d)) return '';
  const rtf = new Intl.RelativeTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { numeric: 'auto' });
  const s = Math.round((d - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(s / 86400), 'day');
  return formatDate(lang, iso);
}

function describe(t: T, x: Notification): string {
  const actor = !x.actor ? t('notif.someone') : x.actor.former_neighbour ? t('person.former') : x.actor.display_name;
  const title = x.post?.title ?? '';
  const a = x.access_event;
  if (a) {
    const params = {
      name: a.professional.former_neighbour ? t('person.former') : a.professional.display_name,
      org: a.professional.professional?.organisation ?? '', hood: a.neighbourhood.name, purpose: a.purpose ?? '',
    };
    if (x.kind === 'professional_request')
      return t(a.event === 'renewal_requested' ? 'notif.proRenewal' : 'notif.proRequest', params);
    const events = ['admitted', 'refused', 'buddy', 'active', 'paused', 'resumed', 'revoked', 'lapsed', 'renewed', 'renewal_refused'];
    if (events.includes(a.event)) return t(('notif.proAccess.' + a.event) as Key, params);
  }
  const known = ['response', 'accepted', 'thanks', 'expired', 'unanswered', 'check_in', 'warned'];
  if (known.includes(x.kind)) return t(('notif.' + x.kind) as Key, { actor, title });
  return t('notif.other', { actor, title });
}

export function Notifications() {
  const { t, lang, me } = useApp();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const home = homeOf(me);

  async function load(more: boolean) {
    setError(null);
    try {
      const r = await api.get<NotificationPage>('/me/notifications' + qs({ limit: 20, cursor: more ? cursor : undefined }));
      setItems(more && items ? [...items, ...r.notifications] : r.notifications);
      setCursor(r.next_cursor);
      setCount(r.unread);
      setUnread(r.unread);
    } catch (e) { setError(e); }
  }
  useEffect(() => { load(false); }, []);

  async function markRead(body: { ids?: number[]; up_to?: number }) {
    const r = await api.post<{ marked: number; unread: number }>('/me/notifications/read', body);
    setCount(r.unread);
    setUnread(r.unread);
    return r;
  }
  async function markAll() {
    if (!items?.length) return;
    setBusy(true);
    try {
      await markRead({ up_to: Math.max(...items.map((x) => x.id)) });
      setItems(items.map((x) => ({ ...x, read: true })));
      setNote(t('notif.allRead'));
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  // Opening one marks it read; the link navigates meanwhile.
  function opened(x: Notification) {
    if (x.read) return;
    markRead({ ids: [x.id] }).catch(() => { /* it stays unread */ });
  }

  const logHref = home ? `/neighbourhoods/${home.neighbourhood.id}/moderation-log` : null;
  return (
    <Page title={t('notif.title')}>
      <ErrorText error={error} />
      <p class="note" role="status">{note}</p>
      {items === null ? <Loading /> : items.length === 0 ? <p class="empty">{t('notif.empty')}</p> : (
        <>
          <div class="actions split">
            <p class="muted" data-testid="unread-count">
              {count === 0 ? t('notif.noneUnread') : count === 1 ? t('notif.unreadOne') : t('notif.unreadCount', { n: count })}
            </p>
            {count > 0 && <button type="button" disabled={busy} onClick={markAll}>{t('notif.markAll')}</button>}
          </div>
          <ul class="cards notifications">
            {items.map((x) => {
              const href = x.post ? '/posts/' + x.post.id
                : x.access_event ? `/neighbourhoods/${x.access_event.neighbourhood.id}/professionals` : logHref;
              const textId = 'notif-' + x.id;
              return (
                <li class={x.read ? 'card notification' : 'card notification unread'} key={x.id}>
                  <p id={textId} class="what">
                    {!x.read && <span class="badge new">{t('notif.new')}</span>} {describe(t, x)}
                  </p>
                  <p class="muted">
                    <time dateTime={x.created_at} title={formatDate(lang, x.created_at)}>{relativeTime(lang, x.created_at)}</time>
                    {href && <>
                      {' · '}
                      <a href={href} aria-describedby={textId} onClick={() => opened(x)}>
                        {x.post || x.access_event ? t('notif.open') : t('notif.openLog')}
                      </a>
                    </>}
                  </p>
                </li>
              );
            })}
          </ul>
          {cursor && <button type="button" onClick={() => load(true)}>{t('feed.more')}</button>}
        </>
      )}
    </Page>
  );
}

export function notificationsRoute(path: string) {
  if (path === '/notifications') return <Notifications />;
  return null;
}
