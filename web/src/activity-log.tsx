// The neighbourhood's professional activity log, on the professionals page
// (GET /neighbourhoods/{id}/professionals/log; docs/professionals.md, "The
// activity log"): per professional what they did here in counts (posts,
// responses, openings of residents' posts — never which), and every step of
// their access, newest first, paged with "show more".
import { useEffect, useState } from 'preact/hooks';
import { api, qs, type Person } from './api';
import { formatDate, type Key, type T } from './i18n';
import type { AccessStatus, Badged } from './professionals';
import { ErrorText, Loading, useApp } from './ui';

export type ActivityEvent =
  | 'requested' | 'admitted' | 'refused' | 'buddy' | 'active' | 'paused' | 'resumed' | 'revoked'
  | 'lapsed' | 'renewal_requested' | 'renewed' | 'renewal_refused';

/** One step of a professional's access, as the log endpoint gives it. */
export type ActivityEntry = {
  id: number; event: ActivityEvent; at: string; professional: Badged;
  rule: 'manager' | 'objection' | 'vote' | 'objections' | 'account_erased' | null;
  actor: Person | null; purpose: string | null;
  objections: number; votes: { in_favour: number; against: number };
};

/** What one professional did here, in counts. */
export type ActivityCounts = {
  professional: Badged; status: AccessStatus; expires_at: string | null;
  renewal_requested_at: string | null; posts: number; responses: number; views: number;
  last_view_at: string | null;
};

type LogPage = { professionals: ActivityCounts[]; events: ActivityEntry[]; next_cursor: string | null };

const nameOf = (t: T, p: Person) => (p.former_neighbour ? t('person.former') : p.display_name);

function lineOf(t: T, e: ActivityEntry): string {
  const params = {
    name: nameOf(t, e.professional),
    org: e.professional.professional?.organisation ?? '',
    actor: e.actor ? nameOf(t, e.actor) : '',
  };
  return t(('pro.log.' + e.event) as Key, params);
}

/** Why a decision went the way it did: the rule and the counts at that moment. */
function ruleOf(t: T, e: ActivityEntry): string {
  if (!e.rule) return '';
  if (e.rule === 'vote') return t('pro.logRule.vote', { yes: e.votes.in_favour, no: e.votes.against });
  if (e.rule === 'objection' || e.rule === 'objections') return t(('pro.logRule.' + e.rule) as Key, { n: e.objections });
  return t(('pro.logRule.' + e.rule) as Key);
}

export function ActivityLog({ neighbourhoodId, refresh }: { neighbourhoodId: number; refresh?: unknown }) {
  const { t, lang } = useApp();
  const [page, setPage] = useState<LogPage | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function load(cursor?: string) {
    setError(null);
    try {
      const r = await api.get<LogPage>(`/neighbourhoods/${neighbourhoodId}/professionals/log` + qs({ limit: 20, cursor }));
      setPage((old) => (cursor && old ? { ...r, events: [...old.events, ...r.events] } : r));
    } catch (e) { setError(e); }
  }
  // `refresh` changes when the page around it changed an access.
  useEffect(() => { load(); }, [neighbourhoodId, refresh]);

  return (
    <section aria-labelledby="pro-log-h" class="pro-log">
      <h2 id="pro-log-h">{t('pro.logTitle')}</h2>
      <p class="muted">{t('pro.logIntro')}</p>
      <ErrorText error={error} />
      {!page ? (!error && <Loading />) : (
        <>
          {page.professionals.length > 0 && (
            <div class="table-scroll">
              <table class="pro-counts">
                <caption>{t('pro.countsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('pro.countsWho')}</th>
                    <th scope="col">{t('pro.countsStatus')}</th>
                    <th scope="col" class="num">{t('pro.countsPosts')}</th>
                    <th scope="col" class="num">{t('pro.countsResponses')}</th>
                    <th scope="col" class="num">{t('pro.countsViews')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.professionals.map((c) => (
                    <tr key={c.professional.id}>
                      <th scope="row">
                        {nameOf(t, c.professional)}
                        {c.professional.professional && <span class="muted"> ({c.professional.professional.organisation})</span>}
                      </th>
                      <td>{t(('pstatus.' + c.status) as Key)}</td>
                      <td class="num">{c.posts}</td>
                      <td class="num">{c.responses}</td>
                      <td class="num">{c.views}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.events.length === 0 ? <p>{t('pro.logEmpty')}</p> : (
            <ol class="log">
              {page.events.map((e) => {
                const why = ruleOf(t, e);
                return (
                  <li key={e.id}>
                    <time dateTime={e.at}>{formatDate(lang, e.at)}</time> <span>{lineOf(t, e)}</span>
                    {why && <span class="muted"> · {why}</span>}
                    {e.purpose && <q class="purpose">{e.purpose}</q>}
                  </li>
                );
              })}
            </ol>
          )}
          {page.next_cursor && (
            <button type="button" onClick={() => load(page.next_cursor ?? undefined)}>{t('feed.more')}</button>
          )}
        </>
      )}
    </section>
  );
}
