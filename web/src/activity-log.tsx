// The neighbourhood's professional activity log, on the professionals page.
//
// The log endpoint is not built yet (docs/professionals.md, "Not built
// yet"). Until it is, `activityFromAccesses` derives what the list of
// professionals already tells: who asked when, when a request was decided,
// and when a buddy's sign-off made access active. To wire the endpoint:
// fetch it in `ActivityLog` (the effect below), map its items to
// `ActivityEntry` (add a `kind` and its texts 'pro.log.KIND' in
// i18n-pro.ts for anything new, e.g. paused, revoked, post, response,
// views), and drop the derivation. The rendering stays as it is.
import { useEffect, useState } from 'preact/hooks';
import type { Person } from './api';
import { formatDate, type Key, type T } from './i18n';
import type { Access, Badged } from './professionals';
import { useApp } from './ui';

export type ActivityKind = 'requested' | 'admitted' | 'refused' | 'active';

/** One line of the log: what happened, to which professional, when. */
export type ActivityEntry = {
  at: string;                // RFC 3339
  kind: ActivityKind;
  professional: Badged;      // with the badge (organisation)
  buddy?: Person | null;     // for 'active'
};

/** What the list of professionals tells, newest first. */
export function activityFromAccesses(accesses: Access[]): ActivityEntry[] {
  const out: ActivityEntry[] = [];
  for (const a of accesses) {
    out.push({ at: a.requested_at, kind: 'requested', professional: a.professional });
    if (a.decided_at) {
      out.push({ at: a.decided_at, kind: a.status === 'refused' ? 'refused' : 'admitted', professional: a.professional });
    }
    if (a.active_since) out.push({ at: a.active_since, kind: 'active', professional: a.professional, buddy: a.buddy });
  }
  return out.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
}

function lineOf(t: T, e: ActivityEntry): string {
  const name = e.professional.former_neighbour ? t('person.former') : e.professional.display_name;
  const org = e.professional.professional?.organisation ?? '';
  const buddy = e.buddy ? (e.buddy.former_neighbour ? t('person.former') : e.buddy.display_name) : '';
  return t(('pro.log.' + e.kind) as Key, { name, org, buddy });
}

export function ActivityLog({ neighbourhoodId, accesses }: { neighbourhoodId: number; accesses: Access[] }) {
  const { t, lang } = useApp();
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  useEffect(() => {
    // Later: api.get(`/neighbourhoods/${neighbourhoodId}/professionals/log`) (or wherever it lands).
    setEntries(activityFromAccesses(accesses));
  }, [neighbourhoodId, accesses]);
  return (
    <section aria-labelledby="pro-log-h" class="pro-log">
      <h2 id="pro-log-h">{t('pro.logTitle')}</h2>
      <p class="muted">{t('pro.logIntro')}</p>
      {entries.length === 0 ? <p>{t('pro.logEmpty')}</p> : (
        <ol class="log">
          {entries.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatDate(lang, e.at)}</time> <span>{lineOf(t, e)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
