// The managers' dashboard (docs/managers.md): what needs attention in the
// neighbourhood now. For connectors: managers and residents who opted in;
// the API decides who sees what, this page shows what it gets.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Category, type Kind, type Person } from './api';
import { formatDate, type Key, type T } from './i18n';
import { NotFound, Pending } from './pages';
import { ErrorText, Loading, Page, useApp } from './ui';

type Waiting = { id: number; kind: Kind; category: Category; title: string; author: Person };
type Arrival = { user: Person; joined_at: string };
type Need = { kind: Kind; category: Category; posts: number; without_response: number };
type DashboardData = {
  neighbourhood_id: number;
  generated_at: string;
  unanswered_asks: { total: number; posts: (Waiting & { created_at: string; age_hours: number })[] };
  promised_posts: { total: number; posts: (Waiting & { promised_at: string; days_since_promised: number })[] };
  newcomers: { total: number; members: Arrival[] };
  join_requests: { total: number; members?: Arrival[] };
  open_reports?: number;
  needs: Need[];
};

function nameOf(t: T, p: Person): string {
  return p.former_neighbour ? t('person.former') : p.display_name;
}

/** A section with a heading and a count, and what `children` lists. */
function Part({ id, title, total, empty, children }: {
  id: string; title: string; total: number; empty: string; children?: ComponentChildren;
}) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 class="h3" id={id}>{title} <span class="badge">{total}</span></h2>
      {total === 0 ? <p class="muted">{empty}</p> : children}
    </section>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  const { t } = useApp();
  return total > shown ? <p class="muted">{t('dash.more', { n: total - shown })}</p> : null;
}

export function Dashboard({ id }: { id: number }) {
  const { t, lang, me, refreshMe } = useApp();
  const m = me?.memberships.find((x) => x.neighbourhood.id === id);
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  function load() {
    setError(null);
    api.get<{ dashboard: DashboardData }>(`/neighbourhoods/${id}/dashboard`).then((r) => setData(r.dashboard), setError);
  }
  useEffect(() => { if (m?.status === 'verified') load(); }, [id]);
  if (!m) return <NotFound />;
  if (m.status !== 'verified') return <Pending name={m.neighbourhood.name} />;
  const forbidden = error instanceof ApiError && error.status === 403;
  const cat = (c: Category) => t(('cat.' + c) as Key);
  // Residents opt in and out here; managers are connectors by their role.
  async function setConnector(on: boolean) {
    setBusy(true);
    try {
      if (on) await api.put(`/neighbourhoods/${id}/connector`);
      else await api.del(`/neighbourhoods/${id}/connector`);
      await refreshMe();
      setNote(t(on ? 'dash.optedIn' : 'dash.optedOut'));
      setData(null);
      load();
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return (
    <Page title={t('dash.title', { name: m.neighbourhood.name })} wide>
      <p class="lead">{t('dash.intro')}</p>
      <p class="note" role="status">{note}</p>
      {m.role === 'resident' && (forbidden || data) && (
        <div>
          <p>{t('dash.whatIs')}</p>
          <button type="button" class={forbidden ? 'primary' : undefined} disabled={busy}
            onClick={() => setConnector(forbidden)}>{t(forbidden ? 'dash.optIn' : 'dash.optOut')}</button>
        </div>
      )}
      {forbidden ? <p>{t('dash.forbidden')}</p> : <ErrorText error={error} />}
      {!data ? (!error && <Loading />) : (
        <div class="figures">
          <Part id="dash-asks" title={t('dash.asks')} total={data.unanswered_asks.total} empty={t('dash.asksNone')}>
            <ul>
              {data.unanswered_asks.posts.map((p) => (
                <li key={p.id}>
                  <a href={'/posts/' + p.id}>{p.title}</a>{' '}
                  <span class="muted">
                    {t('dash.askedBy', { name: nameOf(t, p.author), cat: cat(p.category) })} ·{' '}
                    {t('dash.hoursAgo', { n: p.age_hours })}
                  </span>
                </li>
              ))}
            </ul>
            <More shown={data.unanswered_asks.posts.length} total={data.unanswered_asks.total} />
          </Part>
          <Part id="dash-promised" title={t('dash.promised')} total={data.promised_posts.total} empty={t('dash.promisedNone')}>
            <ul>
              {data.promised_posts.posts.map((p) => (
                <li key={p.id}>
                  <a href={'/posts/' + p.id}>{p.title}</a>{' '}
                  <span class="muted">
                    {nameOf(t, p.author)} · {t('dash.daysAgo', { n: p.days_since_promised })}
                  </span>
                </li>
              ))}
            </ul>
            <More shown={data.promised_posts.posts.length} total={data.promised_posts.total} />
          </Part>
          <Part id="dash-new" title={t('dash.newcomers')} total={data.newcomers.total} empty={t('dash.newcomersNone')}>
            <ul>
              {data.newcomers.members.map((a) => (
                <li key={a.user.id}>
                  {nameOf(t, a.user)} <span class="muted">{t('dash.joined', { date: formatDate(lang, a.joined_at) })}</span>
                </li>
              ))}
            </ul>
            <More shown={data.newcomers.members.length} total={data.newcomers.total} />
          </Part>
          <Part id="dash-join" title={t('dash.joinRequests')} total={data.join_requests.total} empty={t('dash.joinNone')}>
            {data.join_requests.members ? (
              <>
                <ul>
                  {data.join_requests.members.map((a) => (
                    <li key={a.user.id}>
                      {nameOf(t, a.user)} <span class="muted">{t('dash.asked', { date: formatDate(lang, a.joined_at) })}</span>
                    </li>
                  ))}
                </ul>
                <p><a href={`/neighbourhoods/${id}/manage`}>{t('dash.toManage')}</a></p>
              </>
            ) : <p class="muted">{t('dash.joinManagers')}</p>}
          </Part>
          {data.open_reports != null && (
            <Part id="dash-reports" title={t('dash.reports')} total={data.open_reports} empty={t('dash.reportsNone')}>
              <p>{t('dash.reportsWaiting', { n: data.open_reports })}</p>
            </Part>
          )}
          <Part id="dash-needs" title={t('dash.needs')} total={data.needs.length} empty={t('dash.needsNone')}>
            <ul>
              {data.needs.map((n) => (
                <li key={n.kind + n.category}>
                  {t(n.kind === 'ask' ? 'dash.needAsk' : 'dash.needOffer',
                    { n: n.without_response, d: n.posts, cat: cat(n.category) })}
                </li>
              ))}
            </ul>
          </Part>
        </div>
      )}
    </Page>
  );
}
