// Professionals alongside residents (issue 7, docs/professionals.md): the
// badge, the profile on my page, asking a neighbourhood for access, the
// neighbourhood's professionals page (the community's decision, the buddy
// and the sign-off, pause/revoke/resume), the settings for managers, the
// "not for professionals" switch, who looked at my post, and the feed of an
// active professional.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api, ApiError, CATEGORIES, qs,
  type Category, type Me, type Neighbourhood, type Person, type Post,
} from './api';
import { formatDate, type Key, type T } from './i18n';
import { ActivityLog } from './activity-log';
import './professionals.css';
import { ErrorText, Field, focusFirstError, Loading, Page, Radios, useApp } from './ui';

// --- types of the API's professional parts --------------------------------

export type Badged = Person;
export type ProProfile = {
  organisation: string; function: string; description: string; created_at: string; updated_at: string;
};
export type AccessStatus =
  'requested' | 'admitted_awaiting_buddy' | 'active' | 'refused' | 'paused' | 'revoked' | 'lapsed';
export type Access = {
  neighbourhood_id: number; professional: Badged; function: string; purpose: string; status: AccessStatus;
  requested_at: string; decided_at: string | null; buddy: Person | null; active_since: string | null;
  expires_at: string | null; objections: number; votes: { in_favour: number; against: number };
  decision_due_at: string | null;
  renewal_requested_at?: string | null; renewal_due_at?: string | null;
};
export type Admission = 'manager' | 'objection' | 'vote';
export type ProSettings = {
  admission: Admission; objection_days: number; objection_count: number; vote_quorum: number;
  vote_majority_percent: number; scope: Category[]; access_months: number; updated_at: string | null;
};
/** GET /me with the professional parts. */
export type MePro = Me & { professional?: ProProfile | null; professional_access?: Access[] };

const proOf = (me: Me | null) => me as MePro | null;

function nameOf(t: T, p: { display_name: string; former_neighbour?: boolean }): string {
  return p.former_neighbour ? t('person.former') : p.display_name;
}

/** Field errors with explicit limits (ui.tsx's LIMITS doesn't know these fields). */
function message(t: T, code: string, min = 0, max = 0): string {
  return t(('field.' + code) as Key, { min, max }) || code;
}

function useSettings(id: number, enabled: boolean) {
  const [settings, setSettings] = useState<ProSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!enabled) return;
    api.get<{ settings: { professionals: ProSettings } }>(`/neighbourhoods/${id}/settings`)
      .then((r) => setSettings(r.settings.professionals), setError);
  }, [id, enabled]);
  return { settings, setSettings, error };
}

// --- the badge ------------------------------------------------------------

/** The organisation of a professional acting as one; nothing for residents. */
export function ProBadge({ person }: { person: Person }) {
  const { t } = useApp();
  const org = person.professional?.organisation;
  if (!org) return null;
  return (
    <span class="badge pro">
      <span class="visually-hidden">{t('pro.badge', { org })}</span>
      <span aria-hidden="true">{t('pro.badgeShort', { org })}</span>
    </span>
  );
}

/** A person's name followed by their badge, if any. */
export function NameWithBadge({ person }: { person: Badged }) {
  const { t } = useApp();
  return <>{nameOf(t, person)}{person.professional && <> <ProBadge person={person} /></>}</>;
}

// --- my page: the profile and my accesses ----------------------------------

function Transparency({ level }: { level: 2 | 3 }) {
  const { t } = useApp();
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div class="transparency" role="note" aria-labelledby="transparency-h">
      <H id="transparency-h">{t('pro.transparencyTitle')}</H>
      <p>{t('pro.transparency')}</p>
    </div>
  );
}

export function MyProfessional() {
  const { t, me, refreshMe, lang } = useApp();
  const mine = proOf(me);
  const profile = mine?.professional ?? null;
  const [v, setV] = useState({
    organisation: profile?.organisation ?? '', function: profile?.function ?? '', description: profile?.description ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [formError, setFormError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [names, setNames] = useState<Record<number, string>>({});
  const form = useRef<HTMLFormElement>(null);
  const accesses = mine?.professional_access ?? [];
  // GET /me decides waiting requests whose period has passed: read it afresh.
  useEffect(() => { refreshMe().catch(() => {}); }, []);

  useEffect(() => {
    // The accesses carry only the neighbourhood's id; its name is public.
    for (const a of accesses) {
      if (names[a.neighbourhood_id]) continue;
      api.get<{ neighbourhood: Neighbourhood }>('/neighbourhoods/' + a.neighbourhood_id)
        .then((r) => setNames((n) => ({ ...n, [a.neighbourhood_id]: r.neighbourhood.name })), () => {});
    }
  }, [accesses.map((a) => a.neighbourhood_id).join(',')]);

  function check() {
    const out: Record<string, string> = {};
    for (const f of ['organisation', 'function'] as const) {
      const n = [...v[f].trim()].length;
      if (!n) out[f] = message(t, 'required');
      else if (n < 2) out[f] = message(t, 'too_short', 2, 80);
      else if (n > 80) out[f] = message(t, 'too_long', 2, 80);
    }
    if ([...v.description].length > 500) out.description = message(t, 'too_long', 0, 500);
    return out;
  }
  async function save(e: Event) {
    e.preventDefault();
    setNote('');
    setFormError('');
    const errs = check();
    setErrors(errs);
    if (Object.keys(errs).length) { setFormError(t('form.hasErrors')); focusFirstError(form.current); return; }
    setBusy(true);
    try {
      await api.put('/me/professional', {
        organisation: v.organisation.trim(), function: v.function.trim(), description: v.description.trim(),
      });
      await refreshMe();
      setNote(t('pro.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Record<string, string> = {};
        for (const [f, code] of Object.entries(err.fields)) {
          out[f] = f === 'description' ? message(t, code, 0, 500) : message(t, code, 2, 80);
        }
        setErrors(out);
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else setFormError(t('app.error'));
    } finally { setBusy(false); }
  }
  async function remove() {
    setBusy(true);
    try {
      await api.del('/me/professional');
      setV({ organisation: '', function: '', description: '' });
      setConfirming(false);
      await refreshMe();
      setNote(t('pro.removed'));
    } catch { setFormError(t('app.error')); } finally { setBusy(false); }
  }

  return (
    <section aria-labelledby="pro-h" class="pro-section">
      <h2 id="pro-h">{t('pro.profileTitle')}</h2>
      <p>{t('pro.profileIntro')}</p>
      <Transparency level={3} />
      <p class="note" role="status">{note}</p>
      <form ref={form} onSubmit={save} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Field id="organisation" label={t('pro.organisation')} hint={t('pro.organisationHint')} value={v.organisation}
          onInput={(s) => setV({ ...v, organisation: s })} error={errors.organisation} required autocomplete="organization" />
        <Field id="function" label={t('pro.function')} value={v.function}
          onInput={(s) => setV({ ...v, function: s })} error={errors.function} required autocomplete="organization-title" />
        <Field id="description" label={t('pro.description')} multiline rows={3} value={v.description}
          onInput={(s) => setV({ ...v, description: s })} error={errors.description} counter={500} />
        <div class="actions">
          <button class="primary" type="submit" disabled={busy}>{t('pro.save')}</button>
          {profile && !confirming && (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>{t('pro.remove')}</button>
          )}
        </div>
      </form>
      {profile && confirming && (
        <div class="confirm" role="group" aria-labelledby="pro-remove-q">
          <p id="pro-remove-q">{t('pro.removeConfirm')}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={remove}>{t('pro.removeYes')}</button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>{t('pro.removeNo')}</button>
          </div>
        </div>
      )}
      {profile && (
        <>
          <h3>{t('pro.myAccess')}</h3>
          {accesses.length === 0 ? (
            <p>{t('pro.noAccess')} <a href="/find">{t('pro.findHood')}</a></p>
          ) : (
            <ul class="cards">
              {accesses.map((a) => {
                const name = names[a.neighbourhood_id] ?? '…';
                return (
                  <li class="card" key={a.neighbourhood_id}>
                    <h4 class="h3">{name}</h4>
                    <p><span class={'badge pstatus-' + a.status}>{t(('pstatus.' + a.status) as Key)}</span></p>
                    {a.status === 'active' && a.expires_at && (
                      <p class="muted">{t('pro.activeUntil')}: {formatDate(lang, a.expires_at)}</p>
                    )}
                    <Renewal a={a} />
                    <p>
                      {a.status === 'active'
                        ? <a href={'/neighbourhoods/' + a.neighbourhood_id}>{t('pro.toFeed', { name })}</a>
                        : <a href={`/neighbourhoods/${a.neighbourhood_id}/professionals`}>{t('pro.toRequest', { name })}</a>}
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** On the join page: the way in for a professional. */
export function ProJoinHint({ id }: { id: number }) {
  const { t, me } = useApp();
  if (!me) return null;
  return (
    <p class="muted">
      {t('pro.joinHint')} <a href={`/neighbourhoods/${id}/professionals`}>{t('pro.joinLink')}</a>
    </p>
  );
}

// --- facts about one access ------------------------------------------------

function AccessFacts({ a, rule }: { a: Access; rule?: Admission }) {
  const { t, lang } = useApp();
  return (
    <dl class="facts">
      <dt>{t('pro.functionLabel')}</dt><dd>{a.function}</dd>
      <dt>{t('pro.purposeLabel')}</dt><dd class="message">{a.purpose}</dd>
      <dt>{t('pro.statusLabel')}</dt>
      <dd><span class={'badge pstatus-' + a.status}>{t(('pstatus.' + a.status) as Key)}</span></dd>
      <dt>{t('pro.requestedOn')}</dt><dd>{formatDate(lang, a.requested_at)}</dd>
      {a.status === 'requested' && a.decision_due_at && (
        <><dt>{t('pro.decisionDue')}</dt><dd>{formatDate(lang, a.decision_due_at)}</dd></>
      )}
      {a.status === 'requested' && rule === 'vote' && (
        <><dt>{t('pro.votesLabel')}</dt><dd>{t('pro.votes', { yes: a.votes.in_favour, no: a.votes.against })}</dd></>
      )}
      {a.objections > 0 && <><dt>{t('pro.objectionsLabel')}</dt><dd>{a.objections}</dd></>}
      {a.buddy && <><dt>{t('pro.buddyLabel')}</dt><dd>{nameOf(t, a.buddy)}</dd></>}
      {a.status === 'active' && a.expires_at && (
        <><dt>{t('pro.activeUntil')}</dt><dd>{formatDate(lang, a.expires_at)}</dd></>
      )}
    </dl>
  );
}

// --- the neighbourhood's professionals page ---------------------------------

export function ProfessionalsPage({ id }: { id: number }) {
  const { me } = useApp();
  const m = me?.memberships.find((x) => x.neighbourhood.id === id && x.role !== 'professional');
  if (m && m.status === 'verified') return <MembersView id={id} name={m.neighbourhood.name} manager={m.role === 'manager'} />;
  if (m) return <AskView id={id} member />; // pending or suspended: no list, no request
  return <AskView id={id} />;
}

function ruleText(t: T, s: ProSettings): string {
  const vars = {
    days: s.objection_days, count: s.objection_count, quorum: s.vote_quorum, percent: s.vote_majority_percent,
  };
  return t(('pro.rule.' + s.admission) as Key, vars);
}

function scopeText(t: T, s: ProSettings): string {
  if (!s.scope.length) return t('pro.scopeNone');
  return t('pro.scope', { cats: s.scope.map((c) => t(('cat.' + c) as Key).toLowerCase()).join(', ') });
}

function MembersView({ id, name, manager }: { id: number; name: string; manager: boolean }) {
  const { t, me } = useApp();
  const { settings, error: sError } = useSettings(id, true);
  const [list, setList] = useState<Access[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLParagraphElement>(null);

  async function load() {
    try {
      const r = await api.get<{ professionals: Access[] }>(`/neighbourhoods/${id}/professionals`);
      setList(r.professionals);
    } catch (e) { setError(e); }
  }
  useEffect(() => { load(); }, [id]);

  function announce(s: string) {
    setNote(s);
    setTimeout(() => noteRef.current?.focus(), 0);
  }
  async function act(a: Access, path: string, done: Key, body?: unknown) {
    setBusy(true);
    try {
      await api.post(`/neighbourhoods/${id}/professionals/${a.professional.id}/${path}`, body);
      await load();
      announce(t(done, { name: nameOf(t, a.professional) }));
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict') {
        await load();
        announce(path === 'object' ? t('pro.objectAlready') : t('pro.conflict'));
      } else announce(t('app.error'));
      return false;
    } finally { setBusy(false); }
  }

  return (
    <Page title={t('pro.pageTitle', { name })}>
      <p class="lead">{t('pro.pageIntro')}</p>
      <ErrorText error={error || sError} />
      {settings && (
        <div class="rule">
          <p>{ruleText(t, settings)}</p>
          <p>{scopeText(t, settings)}</p>
        </div>
      )}
      {manager && <p><a href={`/neighbourhoods/${id}/professionals/settings`}>{t('pro.settingsLink')}</a></p>}
      <p class="note" role="status" tabIndex={-1} ref={noteRef}>{note}</p>
      <section aria-labelledby="pro-list-h">
        <h2 id="pro-list-h">{t('pro.listTitle')}</h2>
        {list === null || !settings ? <Loading /> : list.length === 0 ? <p class="empty">{t('pro.none')}</p> : (
          <ul class="cards">
            {list.map((a) => (
              <AccessCard key={a.professional.id} a={a} settings={settings} manager={manager}
                meId={me?.user.id ?? 0} busy={busy} act={act} />
            ))}
          </ul>
        )}
      </section>
      {list && <ActivityLog neighbourhoodId={id} refresh={list} />}
    </Page>
  );
}

// Renewal opens in the last 30 days of active access (the server refuses
// earlier with 409); access stays active until the neighbourhood decides.
const RENEWAL_WINDOW_MS = 30 * 24 * 3600 * 1000;

function Renewal({ a }: { a: Access }) {
  const { t, lang, refreshMe } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (a.status !== 'active' || !a.expires_at) return null;
  if (a.renewal_requested_at) {
    return <p class="note">{t('pro.renewWaiting', { date: formatDate(lang, a.renewal_requested_at) })}</p>;
  }
  if (Date.parse(a.expires_at) - Date.now() > RENEWAL_WINDOW_MS) return null;
  async function renew() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/neighbourhoods/${a.neighbourhood_id}/professionals/renew`);
      await refreshMe();
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return (
    <div>
      <p>{t('pro.renewIntro', { date: formatDate(lang, a.expires_at) })}</p>
      <ErrorText error={error} />
      <button type="button" class="primary" disabled={busy} onClick={renew}>{t('pro.renew')}</button>
    </div>
  );
}

type Act = (a: Access, path: string, done: Key, body?: unknown) => Promise<boolean>;

function AccessCard({ a, settings, manager, meId, busy, act }: {
  a: Access; settings: ProSettings; manager: boolean; meId: number; busy: boolean; act: Act;
}) {
  const { t } = useApp();
  const who = nameOf(t, a.professional);
  const hid = 'pro-' + a.professional.id;
  const rule = settings.admission;
  const waiting = a.status === 'requested';
  const admitted = a.status === 'admitted_awaiting_buddy' || a.status === 'active';
  const iAmBuddy = a.buddy?.id === meId;
  // Objections decide a request under the objection rule; against an
  // admitted or active professional they pause, under every rule.
  const canObject = (waiting && rule === 'objection') || admitted;
  return (
    <li class="card pro-card" aria-labelledby={hid}>
      <h3 id={hid}>{who} <ProBadge person={a.professional} /></h3>
      <AccessFacts a={a} rule={rule} />

      {waiting && rule === 'vote' && (
        <div class="actions" role="group" aria-label={t('pro.voteGroup', { name: who })}>
          <button type="button" disabled={busy} onClick={() => act(a, 'vote', 'pro.voted', { vote: 'yes' })}>{t('pro.voteYes')}</button>
          <button type="button" disabled={busy} onClick={() => act(a, 'vote', 'pro.voted', { vote: 'no' })}>{t('pro.voteNo')}</button>
        </div>
      )}
      {waiting && rule === 'manager' && manager && (
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => act(a, 'approve', 'pro.approved')}>{t('pro.approve', { name: who })}</button>
          <button type="button" disabled={busy} onClick={() => act(a, 'refuse', 'pro.refused')}>{t('pro.refuse', { name: who })}</button>
        </div>
      )}
      {a.status === 'admitted_awaiting_buddy' && !a.buddy && (
        <div>
          <p>{t('pro.buddyIntro')}</p>
          <button type="button" class="primary" disabled={busy} onClick={() => act(a, 'buddy', 'pro.nowBuddy')}>
            {t('pro.becomeBuddy', { name: who })}
          </button>
        </div>
      )}
      {a.status === 'admitted_awaiting_buddy' && iAmBuddy && <SignOff a={a} busy={busy} act={act} />}
      {canObject && <ObjectForm a={a} busy={busy} act={act} />}
      {manager && (admitted || a.status === 'paused') && (
        <div class="actions">
          {admitted && <button type="button" disabled={busy} onClick={() => act(a, 'pause', 'pro.paused')}>{t('pro.pause', { name: who })}</button>}
          {a.status === 'paused' && <button type="button" disabled={busy} onClick={() => act(a, 'resume', 'pro.resumed')}>{t('pro.resume', { name: who })}</button>}
          <button type="button" class="danger" disabled={busy} onClick={() => act(a, 'revoke', 'pro.revoked')}>{t('pro.revoke', { name: who })}</button>
        </div>
      )}
    </li>
  );
}

function SignOff({ a, busy, act }: { a: Access; busy: boolean; act: Act }) {
  const { t } = useApp();
  const who = nameOf(t, a.professional);
  const [c, setC] = useState({ introduced: false, house_rules: false, scope_explained: false });
  const [err, setErr] = useState('');
  const base = 'signoff-' + a.professional.id;
  const items: [keyof typeof c, string][] = [
    ['introduced', t('pro.checkIntroduced', { name: who })],
    ['house_rules', t('pro.checkHouseRules')],
    ['scope_explained', t('pro.checkScope', { name: who })],
  ];
  async function submit(e: Event) {
    e.preventDefault();
    if (!c.introduced || !c.house_rules || !c.scope_explained) { setErr(t('pro.signOffIncomplete')); return; }
    setErr('');
    await act(a, 'sign-off', 'pro.signedOff', c);
  }
  return (
    <form onSubmit={submit} noValidate class="signoff">
      <fieldset aria-describedby={err ? base + '-error' : undefined}>
        <legend>{t('pro.signOffTitle', { name: who })}</legend>
        <div class="options">
          {items.map(([k, label]) => (
            <label class={c[k] ? 'option checked' : 'option'} key={k}>
              <input type="checkbox" name={k} checked={c[k]} onChange={(e) => {
                const next = { ...c, [k]: (e.currentTarget as HTMLInputElement).checked };
                setC(next);
                if (next.introduced && next.house_rules && next.scope_explained) setErr('');
              }} />
              <span>{label}</span>
            </label>
          ))}
        </div>
        {err && <p class="error" id={base + '-error'}>{err}</p>}
      </fieldset>
      <button class="primary" type="submit" disabled={busy}>{t('pro.signOff', { name: who })}</button>
    </form>
  );
}

function ObjectForm({ a, busy, act }: { a: Access; busy: boolean; act: Act }) {
  const { t } = useApp();
  const who = nameOf(t, a.professional);
  const [reason, setReason] = useState('');
  const [err, setErr] = useState('');
  const fid = 'reason-' + a.professional.id;
  async function submit(e: Event) {
    e.preventDefault();
    if ([...reason].length > 500) { setErr(message(t, 'too_long', 0, 500)); return; }
    setErr('');
    if (await act(a, 'object', 'pro.objected', reason.trim() ? { reason: reason.trim() } : undefined)) setReason('');
  }
  return (
    <details class="object">
      <summary>{t('pro.object')}</summary>
      <form onSubmit={submit} noValidate>
        <Field id={fid} label={t('pro.objectReason')} multiline rows={2} value={reason} onInput={setReason}
          error={err} counter={500} />
        <button type="submit" disabled={busy}>{t('pro.objectSubmit', { name: who })}</button>
      </form>
    </details>
  );
}

// --- asking for access (anyone who is not a member here) --------------------

function AskView({ id, member }: { id: number; member?: boolean }) {
  const { t, me, refreshMe } = useApp();
  const mine = proOf(me);
  const [n, setN] = useState<Neighbourhood | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [purpose, setPurpose] = useState('');
  const [err, setErr] = useState('');
  const [formError, setFormError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<{ neighbourhood: Neighbourhood }>('/neighbourhoods/' + id).then((r) => setN(r.neighbourhood), setError);
    // the list in /me decides waiting requests when read; read it afresh
    refreshMe().catch(() => {});
  }, [id]);
  if (error) return <Page title={t('app.notFound')}><ErrorText error={error} /></Page>;
  if (!n) return <Page title={t('app.loading')}><Loading /></Page>;
  const access = mine?.professional_access?.find((a) => a.neighbourhood_id === id);
  const closed = !access || ['refused', 'revoked', 'lapsed'].includes(access.status);

  async function ask(e: Event) {
    e.preventDefault();
    setFormError('');
    const len = [...purpose.trim()].length;
    if (!len) { setErr(message(t, 'required')); return; }
    if (len < 10) { setErr(message(t, 'too_short', 10, 500)); return; }
    if (len > 500) { setErr(message(t, 'too_long', 10, 500)); return; }
    setErr('');
    setBusy(true);
    try {
      await api.post(`/neighbourhoods/${id}/professionals`, { purpose: purpose.trim() });
      setPurpose('');
      await refreshMe();
      setNote(t('pro.asked'));
    } catch (ex) {
      if (ex instanceof ApiError && ex.code === 'validation_failed') setErr(message(t, ex.fields.purpose ?? 'invalid', 10, 500));
      else if (ex instanceof ApiError && ex.code === 'conflict') setFormError(t('pro.askConflict'));
      else if (ex instanceof ApiError && ex.code === 'rate_limited') setFormError(t('auth.rateLimited'));
      else setFormError(t('app.error'));
    } finally { setBusy(false); }
  }

  return (
    <Page title={t('pro.askTitle', { name: n.name })}>
      <p class="note" role="status">{note}</p>
      {member ? <p>{t('pro.askConflict')}</p> : (
        <>
          {access && (
            <section aria-labelledby="my-request-h">
              <h2 id="my-request-h">{t('pro.myRequest')}</h2>
              <div class="card"><AccessFacts a={access} /></div>
              {access.status === 'active' && (
                <p><a class="button primary" href={'/neighbourhoods/' + id}>{t('pro.toFeed', { name: n.name })}</a></p>
              )}
              {closed && <p>{t('pro.askAgain')}</p>}
            </section>
          )}
          {closed && (
            <>
              <p>{t('pro.askIntro', { name: n.name })}</p>
              <Transparency level={2} />
              {!mine?.professional ? (
                <p>{t('pro.needProfile')} <a href="/me">{t('pro.toMyPage')}</a></p>
              ) : (
                <form onSubmit={ask} noValidate>
                  {formError && <p class="alert" role="alert">{formError}</p>}
                  <Field id="purpose" label={t('pro.purpose')} hint={t('pro.purposeHint')} multiline rows={4}
                    value={purpose} onInput={(s) => { setPurpose(s); if (err) setErr(''); }} error={err} counter={500} required />
                  <button class="primary" type="submit" disabled={busy}>{t('pro.askSubmit')}</button>
                </form>
              )}
            </>
          )}
        </>
      )}
    </Page>
  );
}

// --- settings for managers --------------------------------------------------

const NUMBERS: { key: keyof ProSettings; field: string; label: Key; min: number; max: number }[] = [
  { key: 'objection_days', field: 'professional_objection_days', label: 'pro.objectionDays', min: 1, max: 60 },
  { key: 'objection_count', field: 'professional_objection_count', label: 'pro.objectionCount', min: 1, max: 100 },
  { key: 'vote_quorum', field: 'professional_vote_quorum', label: 'pro.voteQuorum', min: 1, max: 1000 },
  { key: 'vote_majority_percent', field: 'professional_vote_majority_percent', label: 'pro.voteMajority', min: 50, max: 100 },
  { key: 'access_months', field: 'professional_access_months', label: 'pro.accessMonths', min: 1, max: 36 },
];

export function ProSettingsPage({ id }: { id: number }) {
  const { t, me } = useApp();
  const m = me?.memberships.find((x) => x.neighbourhood.id === id);
  const isManager = m?.role === 'manager' && m.status === 'verified';
  const { settings, error } = useSettings(id, !!isManager);
  const [v, setV] = useState<Record<string, string>>({});
  const [admission, setAdmission] = useState<Admission>('manager');
  const [scope, setScope] = useState<Category[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!settings) return;
    const out: Record<string, string> = {};
    for (const n of NUMBERS) out[n.key] = String(settings[n.key]);
    setV(out);
    setAdmission(settings.admission);
    setScope(settings.scope);
  }, [settings]);
  if (!m || !isManager) return <NotAllowed />;
  if (error) return <Page title={t('pro.settingsTitle')}><ErrorText error={error} /></Page>;
  if (!settings) return <Page title={t('pro.settingsTitle')}><Loading /></Page>;

  async function save(e: Event) {
    e.preventDefault();
    setNote('');
    setFormError('');
    const errs: Record<string, string> = {};
    const body: Record<string, unknown> = { professional_admission: admission, professional_scope: scope };
    for (const n of NUMBERS) {
      const s = (v[n.key] ?? '').trim();
      const x = Number(s);
      if (!s) errs[n.key] = message(t, 'required');
      else if (!/^\d+$/.test(s)) errs[n.key] = message(t, 'invalid');
      else if (x < n.min || x > n.max) errs[n.key] = message(t, 'out_of_range', n.min, n.max);
      else body[n.field] = x;
    }
    setErrors(errs);
    if (Object.keys(errs).length) { setFormError(t('form.hasErrors')); focusFirstError(form.current); return; }
    setBusy(true);
    try {
      await api.patch(`/neighbourhoods/${id}/settings`, body);
      setNote(t('pro.settingsSaved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Record<string, string> = {};
        for (const [f, code] of Object.entries(err.fields)) {
          const n = NUMBERS.find((x) => x.field === f);
          out[n ? n.key : f.replace('professional_', '')] = message(t, code, n?.min, n?.max);
        }
        setErrors(out);
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else setFormError(t('app.error'));
    } finally { setBusy(false); }
  }
  const toggle = (c: Category, on: boolean) =>
    setScope(on ? CATEGORIES.filter((x) => x === c || scope.includes(x)) : scope.filter((x) => x !== c));
  const shownNumbers = NUMBERS.filter((n) =>
    n.key === 'access_months' || n.key === 'objection_days' ||
    (n.key === 'objection_count') ||
    (admission === 'vote' && (n.key === 'vote_quorum' || n.key === 'vote_majority_percent')));
  return (
    <Page title={t('pro.settingsTitle')}>
      <p><a href={`/neighbourhoods/${id}/professionals`}>{t('pro.pageTitle', { name: m.neighbourhood.name })}</a></p>
      <p class="note" role="status">{note}</p>
      <form ref={form} onSubmit={save} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Radios name="admission" legend={t('pro.admission')} value={admission} onChange={(x) => setAdmission(x as Admission)}
          error={errors.admission}
          options={(['manager', 'objection', 'vote'] as const).map((x) => ({ value: x, label: t(('pro.admission.' + x) as Key) }))} />
        {shownNumbers.map((n) => (
          <Field key={n.key} id={n.key} label={t(n.label)} hint={t('pro.numberHint', { min: n.min, max: n.max })}
            inputMode="numeric" value={v[n.key] ?? ''} onInput={(s) => setV({ ...v, [n.key]: s })} error={errors[n.key]} />
        ))}
        <fieldset class="group" aria-describedby={errors.scope ? 'scope-error' : undefined}>
          <legend>{t('pro.scopeLegend')}</legend>
          <div class="options">
            {CATEGORIES.map((c) => (
              <label class={scope.includes(c) ? 'option checked' : 'option'} key={c}>
                <input type="checkbox" name="scope" value={c} checked={scope.includes(c)}
                  onChange={(e) => toggle(c, (e.currentTarget as HTMLInputElement).checked)} />
                <span>{t(('cat.' + c) as Key)}</span>
              </label>
            ))}
          </div>
          {errors.scope && <p class="error" id="scope-error">{errors.scope}</p>}
        </fieldset>
        <button class="primary" type="submit" disabled={busy}>{t('pro.settingsSave')}</button>
      </form>
    </Page>
  );
}

function NotAllowed() {
  const { t } = useApp();
  return <Page title={t('app.notFound')}><p><a href="/">{t('app.notFoundLink')}</a></p></Page>;
}

// --- the post form's switch -------------------------------------------------

/**
 * "Not for professionals" on the new-post form. Until the author touches it,
 * it follows the neighbourhood's scope: on outside it, off inside. The value
 * is sent as `not_for_professionals`.
 */
export function NotForProsSwitch({ id, category, value, onChange }: {
  id: number; category: string; value: boolean | undefined; onChange: (v: boolean) => void;
}) {
  const { t } = useApp();
  const { settings } = useSettings(id, true);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (touched || !settings || !category) return;
    onChange(!settings.scope.includes(category as Category));
  }, [category, settings, touched]);
  const checked = value ?? (settings && category ? !settings.scope.includes(category as Category) : false);
  return (
    <div class="field">
      <label class={checked ? 'option checked' : 'option'}>
        <input type="checkbox" name="not_for_professionals" checked={checked} aria-describedby="nfp-hint"
          onChange={(e) => { setTouched(true); onChange((e.currentTarget as HTMLInputElement).checked); }} />
        <span>{t('pro.nfp')}</span>
      </label>
      <p class="hint" id="nfp-hint">{t('pro.nfpHint')}</p>
    </div>
  );
}

// --- the post page, for its author -----------------------------------------

/** The author's view: whether professionals may read the post, and who of them opened it. */
export function PostProfessionals({ post, onChange }: { post: Post; onChange: (p: Post) => void }) {
  const { t, lang } = useApp();
  const [views, setViews] = useState<{ professional: Badged; viewed_at: string }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const nfp = (post as Post & { not_for_professionals?: boolean }).not_for_professionals;
  const changeable = post.status === 'open' || post.status === 'promised' || post.status === 'expired';
  useEffect(() => {
    api.get<{ views: { professional: Badged; viewed_at: string }[] }>(`/posts/${post.id}/views`)
      .then((r) => setViews(r.views), setError);
  }, [post.id]);
  async function flip() {
    setBusy(true);
    try {
      const r = await api.patch<{ post: Post }>(`/posts/${post.id}`, { not_for_professionals: !nfp });
      onChange(r.post);
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return (
    <section aria-labelledby="views-h" class="pro-section">
      <h2 id="views-h">{t('pro.viewsTitle')}</h2>
      <p>{nfp ? t('pro.nfpOn') : t('pro.nfpOff')}</p>
      {changeable && nfp !== undefined && (
        <p><button type="button" disabled={busy} onClick={flip}>{nfp ? t('pro.share') : t('pro.unshare')}</button></p>
      )}
      <ErrorText error={error} />
      {views === null ? (!error && <Loading />) : views.length === 0 ? <p class="muted">{t('pro.viewsNone')}</p> : (
        <ul class="views">
          {views.map((x, i) => (
            <li key={i}>
              <NameWithBadge person={x.professional} />{' '}
              <time class="muted" dateTime={x.viewed_at}>{t('pro.viewedAt', { date: formatDateTime(lang, x.viewed_at) })}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function formatDateTime(lang: string, iso: string) {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB',
    { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

// --- the feed of an active professional -------------------------------------

/** /neighbourhoods/{id} for someone who is not a member there but holds access. */
export function ProFeed({ id, Card }: { id: number; Card: ComponentType<{ p: Post }> }) {
  const { t, me } = useApp();
  const access = proOf(me)?.professional_access?.find((a) => a.neighbourhood_id === id && a.status === 'active');
  const [n, setN] = useState<Neighbourhood | null>(null);
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function load(more: boolean) {
    try {
      const r = await api.get<{ posts: Post[]; next_cursor: string | null }>(
        `/neighbourhoods/${id}/feed` + qs({ limit: 20, cursor: more ? cursor : undefined }));
      setPosts(more && posts ? [...posts, ...r.posts] : r.posts);
      setCursor(r.next_cursor);
    } catch (e) { setError(e); }
  }
  useEffect(() => {
    if (!access) return;
    api.get<{ neighbourhood: Neighbourhood }>('/neighbourhoods/' + id).then((r) => setN(r.neighbourhood), setError);
    load(false);
  }, [id, !!access]);
  if (!access) return <NotAllowed />;
  return (
    <Page title={t('pro.feedTitle', { name: n?.name ?? '…' })}>
      <p class="lead">{t('pro.feedIntro')}</p>
      <p><a class="button primary" href={`/neighbourhoods/${id}/new`}>{t('pro.offer')}</a></p>
      <ErrorText error={error} />
      {posts === null ? <Loading /> : posts.length === 0 ? <p class="empty">{t('pro.feedEmpty')}</p> : (
        <>
          <ul class="cards">{posts.map((p) => <Card p={p} key={p.id} />)}</ul>
          {cursor && <button type="button" onClick={() => load(true)}>{t('feed.more')}</button>}
        </>
      )}
    </Page>
  );
}

/**
 * /neighbourhoods/{id}/new for an active professional: an offer, in a topic
 * of the neighbourhood's scope (the server says out_of_scope otherwise; a
 * professional can't read the settings). Posts from professionals are never
 * "not for professionals".
 */
export function ProNewPost({ id }: { id: number }) {
  const { t, me, go, setFlash } = useApp();
  const access = proOf(me)?.professional_access?.find((a) => a.neighbourhood_id === id && a.status === 'active');
  const [n, setN] = useState<Neighbourhood | null>(null);
  const [v, setV] = useState({ category: '', title: '', body: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (access) api.get<{ neighbourhood: Neighbourhood }>('/neighbourhoods/' + id).then((r) => setN(r.neighbourhood), () => {});
  }, [id, !!access]);
  if (!access) return <NotAllowed />;

  async function submit(e: Event) {
    e.preventDefault();
    setFormError('');
    const errs: Record<string, string> = {};
    if (!v.category) errs.category = message(t, 'required');
    const len = [...v.title.trim()].length;
    if (!len) errs.title = message(t, 'required');
    else if (len < 3) errs.title = message(t, 'too_short', 3, 120);
    else if (len > 120) errs.title = message(t, 'too_long', 3, 120);
    if ([...v.body].length > 5000) errs.body = message(t, 'too_long', 0, 5000);
    setErrors(errs);
    if (Object.keys(errs).length) { setFormError(t('form.hasErrors')); focusFirstError(form.current); return; }
    setBusy(true);
    try {
      const r = await api.post<{ post: Post }>(`/neighbourhoods/${id}/posts`, {
        kind: 'offer', category: v.category, title: v.title.trim(), body: v.body,
      });
      setFlash(t('post.created'));
      go('/posts/' + r.post.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Record<string, string> = {};
        for (const [f, code] of Object.entries(err.fields)) {
          out[f] = f === 'title' ? message(t, code, 3, 120) : message(t, code, 0, 5000);
        }
        setErrors(out);
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else if (err instanceof ApiError && err.code === 'rate_limited') setFormError(t('auth.rateLimited'));
      else setFormError(t('app.error'));
    } finally { setBusy(false); }
  }
  return (
    <Page title={t('pro.offerTitle', { name: n?.name ?? '…' })}>
      <p>{t('pro.offerIntro')}</p>
      <form ref={form} onSubmit={submit} noValidate class="post-form">
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Radios name="category" legend={t('post.category')} value={v.category} error={errors.category}
          onChange={(c) => { setV({ ...v, category: c }); setErrors({ ...errors, category: '' }); }}
          options={CATEGORIES.map((c) => ({ value: c, label: t(('cat.' + c) as Key), icon: c }))} />
        <Field id="title" label={t('post.title')} value={v.title} onInput={(s) => setV({ ...v, title: s })}
          error={errors.title} counter={120} required />
        <Field id="body" label={t('post.body')} hint={t('post.bodyHint')} multiline rows={6} value={v.body}
          onInput={(s) => setV({ ...v, body: s })} error={errors.body} counter={5000} />
        <button class="primary" type="submit" disabled={busy}>{t('post.submit')}</button>
      </form>
    </Page>
  );
}
