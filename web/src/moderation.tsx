// Reporting, the managers' queue, the public moderation log, house rules and
// the member list (docs/api.md, "Moderation"; docs/moderation.md).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, qs, type Member, type Neighbourhood, type Person } from './api';
import { formatDate, type Key, type T } from './i18n';
import { NotFound } from './pages';
import { ErrorText, Field, focusFirstError, Loading, Page, Radios, useApp } from './ui';

type TargetType = 'post' | 'response' | 'member';
type Target = { type: TargetType; id: number; user: Person };
type Report = { id: number; reporter: Person; target: Target; reason: string; created_at: string };
type Action = 'hide' | 'warn' | 'suspend' | 'dismiss';
type LogEntry = {
  id: number; moderator: Person; action: Action; target: Target; reason: string; about_you: boolean; created_at: string;
};
export type HouseRules = { markdown: string; html: string; updated_at: string | null };
type Hood = Neighbourhood & { house_rules?: HouseRules };

const REASON = { min: 3, max: 1000 };
const RULES_MAX = 20000;

function nameOf(t: T, p: Person): string {
  return p.former_neighbour ? t('person.former') : p.display_name;
}

function useMembership(id: number) {
  const { me } = useApp();
  return me?.memberships.find((m) => m.neighbourhood.id === id);
}

/** The message for a reason field: '' when fine. `optional` allows empty. */
function reasonError(t: T, text: string, optional = false): string {
  const n = [...text.trim()].length;
  if (n === 0) return optional ? '' : t('field.required');
  if (n < REASON.min) return t('field.too_short', { min: REASON.min });
  if (n > REASON.max) return t('field.too_long', { max: REASON.max });
  return '';
}
function apiFieldError(t: T, code: string, limits: { min?: number; max?: number }): string {
  return t(('field.' + code) as Key, { min: limits.min ?? 0, max: limits.max ?? 0 }) || code;
}

function useHood(id: number) {
  const [hood, setHood] = useState<Hood | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<{ neighbourhood: Hood }>('/neighbourhoods/' + id).then((r) => setHood(r.neighbourhood), setError);
  }, [id]);
  return { hood, setHood, error };
}

// ---------------------------------------------------------------------------
// Reporting

/**
 * A "report" button that opens a small form in place. `label` names the
 * thing, so several buttons on one page are told apart.
 */
export function ReportAction({ nid, target, id, label }: { nid: number; target: TargetType; id: number; label: string }) {
  const { t } = useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const fieldId = `report-${target}-${id}`;
  const live = reasonError(t, reason);
  const shown = touched ? live : serverError;

  function toggle() {
    setOpen(!open);
    setNote('');
    // into the form when it opens, back to the button when it closes
    setTimeout(() => (open ? button.current : document.getElementById(fieldId))?.focus(), 0);
  }
  function finish(message: string) {
    setDone(true);
    setOpen(false);
    setNote(message);
    setTimeout(() => noteRef.current?.focus(), 0);
  }
  async function send(e: Event) {
    e.preventDefault();
    setServerError('');
    if (live) { setTouched(true); focusFirstError(form.current); return; }
    setBusy(true);
    try {
      await api.post(`/neighbourhoods/${nid}/reports`, { target, id, reason: reason.trim() });
      setReason('');
      setTouched(false);
      finish(t('report.sent'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed' && err.fields.reason) {
        setServerError(apiFieldError(t, err.fields.reason, REASON));
        setTouched(false);
        focusFirstError(form.current);
      } else if (err instanceof ApiError && err.code === 'conflict') {
        finish(t('report.already'));
      } else if (err instanceof ApiError && (err.code === 'forbidden' || err.status === 404)) {
        setOpen(false); setNote(t('report.notAllowed'));
      } else if (err instanceof ApiError && err.code === 'rate_limited') {
        setNote(t('auth.rateLimited'));
      } else {
        setNote(t('app.error'));
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="report">
      {!done && (
        <button type="button" class="linkish small" ref={button} aria-expanded={open ? 'true' : 'false'} onClick={toggle}>
          {label}
        </button>
      )}
      <p class="note" role="status" tabIndex={-1} ref={noteRef}>{note}</p>
      {open && (
        <form ref={form} onSubmit={send} noValidate class="report-form" aria-label={label}>
          <Field id={fieldId} label={t('report.reason')} hint={t('report.hint')} multiline rows={3} value={reason}
            onInput={(s) => { setReason(s); if (serverError || touched) setTouched(true); }}
            onBlur={() => { if (reason) setTouched(true); }} error={shown} counter={REASON.max} required />
          <div class="actions">
            <button class="primary" type="submit" disabled={busy}>{t('report.send')}</button>
            <button type="button" onClick={toggle}>{t('report.cancel')}</button>
          </div>
        </form>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------
// The managers' queue

type Group = { key: string; target: Target; reports: Report[] };

function groupReports(reports: Report[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of reports) {
    const key = r.target.type + '-' + r.target.id;
    const g = out.get(key);
    if (g) g.reports.push(r); else out.set(key, { key, target: r.target, reports: [r] });
  }
  return [...out.values()];
}

function thingLabel(t: T, target: Target): string {
  return t(('mod.thing.' + target.type) as Key, { name: nameOf(t, target.user) });
}

export function ModerationQueue({ id }: { id: number }) {
  const { t, lang } = useApp();
  const m = useMembership(id);
  const isManager = m?.role === 'manager' && m.status === 'verified';
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<Action | ''>('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [formError, setFormError] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const reviewRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);

  async function load() {
    try {
      const r = await api.get<{ reports: Report[] }>(`/neighbourhoods/${id}/reports`);
      const g = groupReports(r.reports);
      setGroups(g);
      setSelected((s) => new Set([...s].filter((k) => g.some((x) => x.key === k))));
    } catch (e) { setError(e); }
  }
  useEffect(() => { if (isManager) load(); }, [id]);
  if (!m || !isManager) return <NotFound />;

  const chosen = (groups ?? []).filter((g) => selected.has(g.key));
  function check(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!chosen.length) out.reports = t('mod.noneSelected');
    if (!action) out.action = t('field.required');
    else if (action === 'hide' && chosen.some((g) => g.target.type === 'member')) out.action = t('mod.cannotHideMember');
    const r = reasonError(t, reason, action === 'dismiss');
    if (r) out.reason = r;
    return out;
  }
  const live = check();
  const shown: Record<string, string> = {};
  for (const k of ['reports', 'action', 'reason']) {
    if (touched[k] && live[k]) shown[k] = live[k];
    else if (!touched[k] && serverErrors[k]) shown[k] = serverErrors[k];
  }

  function toggle(key: string) {
    const s = new Set(selected);
    if (s.has(key)) s.delete(key); else s.add(key);
    setSelected(s);
    setConfirming(false);
    setTouched({ ...touched, reports: true, ...(touched.action ? { action: true } : {}) });
  }
  function review(e: Event) {
    e.preventDefault();
    setFormError('');
    setServerErrors({});
    if (Object.keys(live).length) {
      setTouched({ reports: true, action: true, reason: true });
      setFormError(t('form.hasErrors'));
      focusFirstError(form.current);
      return;
    }
    setConfirming(true);
    setTimeout(() => confirmRef.current?.focus(), 0);
  }
  async function apply() {
    setBusy(true);
    setFormError('');
    try {
      const ids = chosen.flatMap((g) => g.reports.map((r) => r.id));
      await api.post(`/neighbourhoods/${id}/moderation`, { reports: ids, action, reason: reason.trim() });
      setConfirming(false);
      setSelected(new Set());
      setAction('');
      setReason('');
      setTouched({});
      setNote(t('mod.done'));
      await load();
      setTimeout(() => noteRef.current?.focus(), 0);
    } catch (err) {
      setConfirming(false);
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Record<string, string> = {};
        for (const [f, code] of Object.entries(err.fields)) out[f] = apiFieldError(t, code, REASON);
        setServerErrors(out);
        setTouched({});
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else if (err instanceof ApiError && err.status === 404) {
        setFormError(t('mod.gone'));
        await load();
      } else if (err instanceof ApiError && err.code === 'conflict') {
        setFormError(t('mod.conflict'));
      } else {
        setFormError(t('app.error'));
      }
    } finally {
      setBusy(false);
    }
  }

  const total = groups?.reduce((n, g) => n + g.reports.length, 0) ?? 0;
  const things = chosen.map((g) => thingLabel(t, g.target)).join('; ');
  const reportsErrId = shown.reports ? 'reports-error' : undefined;
  return (
    <Page title={t('mod.queueTitle')}>
      <p>{t('mod.queueIntro')}</p>
      <p><a href={`/neighbourhoods/${id}/moderation-log`}>{t('mod.logLink')}</a></p>
      <ErrorText error={error} />
      <p class="note" role="status" tabIndex={-1} ref={noteRef}>{note}</p>
      {groups === null ? <Loading /> : groups.length === 0 ? <p class="empty">{t('mod.queueEmpty')}</p> : (
        <form ref={form} onSubmit={review} noValidate class="queue">
          {formError && <p class="alert" role="alert">{formError}</p>}
          <fieldset aria-describedby={reportsErrId}>
            <legend>{total === 1 ? t('mod.queueCountOne') : t('mod.queueCount', { n: total })}</legend>
            <ul class="cards">
              {groups.map((g) => {
                const label = thingLabel(t, g.target);
                const checked = selected.has(g.key);
                return (
                  <li class={checked ? 'card report-group checked' : 'card report-group'} key={g.key}>
                    <label class="select">
                      <input type="checkbox" checked={checked} onChange={() => toggle(g.key)}
                        aria-describedby={'group-' + g.key} />
                      <span class="h3">{label}</span>
                    </label>
                    <p class="muted" id={'group-' + g.key}>
                      {g.reports.length === 1 ? t('mod.reportsOne') : t('mod.reports', { n: g.reports.length })}
                    </p>
                    {g.target.type === 'post' && <p><a href={'/posts/' + g.target.id}>{t('mod.viewPost')}</a></p>}
                    <ul class="reasons">
                      {g.reports.map((r) => (
                        <li key={r.id}>
                          <blockquote><p>{r.reason}</p></blockquote>
                          <p class="muted">{t('mod.reportBy', { name: nameOf(t, r.reporter), date: formatDate(lang, r.created_at) })}</p>
                        </li>
                      ))}
                    </ul>
                  </li>
                );
              })}
            </ul>
            {shown.reports && <p class="error" id={reportsErrId}>{shown.reports}</p>}
          </fieldset>

          <h2>{t('mod.actionTitle')}</h2>
          <p class="muted" role="status">
            {chosen.length === 1 ? t('mod.selectedOne') : t('mod.selected', { n: chosen.length })}
          </p>
          <Radios name="action" legend={t('mod.action')} value={action} error={shown.action}
            onChange={(v) => { setAction(v as Action); setConfirming(false); setTouched({ ...touched, action: true }); }}
            options={(['hide', 'warn', 'suspend', 'dismiss'] as const).map((a) => ({ value: a, label: t(('mod.' + a) as Key) }))} />
          {action && <p class="hint">{t(('mod.' + action + 'Hint') as Key)}</p>}
          <Field id="reason" label={action === 'dismiss' ? t('mod.reasonOptional') : t('mod.reason')} hint={t('mod.reasonHint')}
            multiline rows={3} value={reason} counter={REASON.max} error={shown.reason} required={action !== 'dismiss'}
            onInput={(s) => { setReason(s); setConfirming(false); if (touched.reason || serverErrors.reason) setTouched({ ...touched, reason: true }); }}
            onBlur={() => { if (reason) setTouched({ ...touched, reason: true }); }} />
          {!confirming && <button class="primary" type="submit" ref={reviewRef}>{t('mod.review')}</button>}
          {confirming && action && (
            <section class="confirm" aria-labelledby="confirm-h">
              <h2 id="confirm-h" tabIndex={-1} ref={confirmRef}>{t('mod.confirmTitle')}</h2>
              <p>{t(('mod.confirm.' + action) as Key, { things })}</p>
              {reason.trim() && <p>{t('mod.confirmReason', { reason: reason.trim() })}</p>}
              <div class="actions">
                <button class="primary" type="button" disabled={busy} onClick={apply}>{t('mod.confirmYes')}</button>
                <button type="button" disabled={busy}
                  onClick={() => { setConfirming(false); setTimeout(() => reviewRef.current?.focus(), 0); }}>{t('mod.confirmNo')}</button>
              </div>
            </section>
          )}
        </form>
      )}
    </Page>
  );
}

// ---------------------------------------------------------------------------
// The log, for every member

function logText(t: T, e: LogEntry): string {
  const vars = { moderator: nameOf(t, e.moderator), name: nameOf(t, e.target.user) };
  if (e.action === 'hide' || e.action === 'dismiss') {
    const kind = e.action === 'hide' && e.target.type === 'member' ? 'post' : e.target.type;
    return t(('mod.log.' + e.action + '.' + kind) as Key, vars);
  }
  return t(('mod.log.' + e.action) as Key, vars);
}

export function ModerationLog({ id }: { id: number }) {
  const { t, lang } = useApp();
  const m = useMembership(id);
  const [entries, setEntries] = useState<LogEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const verified = m?.status === 'verified';
  async function load(more: boolean) {
    try {
      const r = await api.get<{ entries: LogEntry[]; next_cursor: string | null }>(
        `/neighbourhoods/${id}/moderation-log` + qs({ limit: 20, cursor: more ? cursor : undefined }));
      setEntries(more && entries ? [...entries, ...r.entries] : r.entries);
      setCursor(r.next_cursor);
    } catch (e) { setError(e); }
  }
  useEffect(() => { if (verified) load(false); }, [id]);
  if (!m || !verified) return <NotFound />;
  return (
    <Page title={t('mod.logTitle')}>
      <p>{t('mod.logIntro')}</p>
      <p><a href={`/neighbourhoods/${id}/house-rules`}>{t('rules.link')}</a></p>
      <ErrorText error={error} />
      {entries === null ? <Loading /> : entries.length === 0 ? <p class="empty">{t('mod.logEmpty')}</p> : (
        <>
          <ul class="cards log">
            {entries.map((e) => (
              <li class={e.about_you ? 'card log-entry about-you' : 'card log-entry'} key={e.id}>
                {e.about_you && <p class="kinds"><span class="badge you">{t('mod.aboutYou')}</span></p>}
                <h2 class="h3">{logText(t, e)}</h2>
                <p>{e.reason ? e.reason : <span class="muted">{t('mod.log.noReason')}</span>}</p>
                <p class="muted">
                  <time dateTime={e.created_at}>{formatDate(lang, e.created_at)}</time>
                  {e.target.type === 'post' && e.action !== 'hide' && <>
                    {' · '}<a href={'/posts/' + e.target.id}>{t('mod.viewPost')}</a>
                  </>}
                </p>
              </li>
            ))}
          </ul>
          {cursor && <button type="button" onClick={() => load(true)}>{t('feed.more')}</button>}
        </>
      )}
    </Page>
  );
}

// ---------------------------------------------------------------------------
// House rules: every member reads them, managers write them

type Marked = typeof import('marked');
let markedModule: Promise<Marked> | null = null;
// http(s), mailto, or no scheme at all (relative links and anchors)
const SAFE_URL = /^(?:https?:|mailto:|[^:]*$|[^:]*[/?#])/i;

/** The preview, rendered like the server does: no raw HTML, safe links only. */
function usePreview(markdown: string): string | null {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const timer = setTimeout(async () => {
      markedModule ??= import('marked');
      const { Marked } = await markedModule;
      const md = new Marked({
        gfm: true,
        renderer: { html: () => '' },
        walkTokens: (tok) => {
          if ((tok.type === 'link' || tok.type === 'image') && !SAFE_URL.test(tok.href)) tok.href = '';
        },
      });
      const out = md.parse(markdown, { async: false }) as string;
      if (!stop) setHtml(out);
    }, 150);
    return () => { stop = true; clearTimeout(timer); };
  }, [markdown]);
  return html;
}

function RulesEditor({ id, rules, onSaved }: { id: number; rules: HouseRules; onSaved: (r: HouseRules) => void }) {
  const { t } = useApp();
  const [text, setText] = useState(rules.markdown);
  const [error, setError] = useState('');
  const [formError, setFormError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const preview = usePreview(text);
  const tooLong = [...text].length > RULES_MAX;
  const shownError = tooLong ? t('field.too_long', { max: RULES_MAX }) : error;

  async function save(e: Event) {
    e.preventDefault();
    setFormError('');
    setNote('');
    if (tooLong) { focusFirstError(form.current); return; }
    setBusy(true);
    try {
      const r = await api.put<{ house_rules: HouseRules }>(`/neighbourhoods/${id}/house-rules`, { markdown: text });
      onSaved(r.house_rules);
      setError('');
      setNote(t('rules.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        setError(apiFieldError(t, err.fields.markdown ?? 'invalid', { max: RULES_MAX }));
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else setFormError(t('app.error'));
    } finally { setBusy(false); }
  }
  return (
    <section aria-labelledby="rules-edit-h">
      <h2 id="rules-edit-h">{t('rules.editTitle')}</h2>
      <form ref={form} onSubmit={save} noValidate>
        {formError && <p class="alert" role="alert">{formError}</p>}
        <p class="note" role="status">{note}</p>
        <Field id="markdown" label={t('rules.text')} hint={t('rules.textHint')} multiline rows={10} value={text}
          onInput={(s) => { setText(s); setError(''); setNote(''); }} error={shownError} counter={RULES_MAX} />
        <section class="preview" aria-labelledby="preview-h">
          <h3 id="preview-h">{t('rules.preview')}</h3>
          {preview === null ? <Loading /> : preview.trim() === ''
            ? <p class="muted">{t('rules.previewEmpty')}</p>
            // the preview's HTML comes from marked with raw HTML dropped and unsafe URLs removed
            : <div class="body" data-testid="rules-preview" dangerouslySetInnerHTML={{ __html: preview }} />}
        </section>
        <button class="primary" type="submit" disabled={busy}>{t('rules.save')}</button>
      </form>
    </section>
  );
}

/** The rules as HTML (rendered and sanitised by the server), or a line saying there are none. */
function RulesText({ rules }: { rules: HouseRules | undefined }) {
  const { t, lang } = useApp();
  if (!rules?.html) return <p class="empty">{t('rules.none')}</p>;
  return (
    <>
      <div class="body rules" dangerouslySetInnerHTML={{ __html: rules.html }} />
      {rules.updated_at && <p class="muted">{t('rules.updated', { date: formatDate(lang, rules.updated_at) })}</p>}
    </>
  );
}

export function HouseRulesPage({ id }: { id: number }) {
  const { t, query } = useApp();
  const m = useMembership(id);
  const { hood, setHood, error } = useHood(id);
  if (!m) return <NotFound />;
  if (error) return <Page title={t('app.error')}><ErrorText error={error} /></Page>;
  if (!hood) return <Page title={t('app.loading')}><Loading /></Page>;
  const isManager = m.role === 'manager' && m.status === 'verified';
  const welcome = query.get('welcome') === '1';
  return (
    <Page title={t('rules.title', { name: hood.name })}>
      {welcome && <p class="lead">{t('rules.welcome')}</p>}
      <RulesText rules={hood.house_rules} />
      {welcome && <p><a class="button primary" href={'/neighbourhoods/' + id}>{t('rules.toFeed')}</a></p>}
      {m.status === 'verified' && <p><a href={`/neighbourhoods/${id}/moderation-log`}>{t('mod.logLink')}</a></p>}
      {isManager && hood.house_rules && (
        <RulesEditor id={id} rules={hood.house_rules} onSaved={(r) => setHood({ ...hood, house_rules: r })} />
      )}
    </Page>
  );
}

/** For a member who waits for approval: the rules, below the waiting text. */
export function HouseRulesSection({ id }: { id: number }) {
  const { t } = useApp();
  const { hood } = useHood(id);
  if (!hood?.house_rules?.html) return null;
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">{t('rules.pendingTitle')}</h2>
      <RulesText rules={hood.house_rules} />
    </section>
  );
}

// ---------------------------------------------------------------------------
// Members, each with a report action

export function Members({ id }: { id: number }) {
  const { t, lang, me } = useApp();
  const m = useMembership(id);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const verified = m?.status === 'verified';
  useEffect(() => {
    if (verified) api.get<{ members: Member[] }>(`/neighbourhoods/${id}/members`).then((r) => setMembers(r.members), setError);
  }, [id]);
  if (!m || !verified) return <NotFound />;
  return (
    <Page title={t('members.title', { name: m.neighbourhood.name })}>
      <ErrorText error={error} />
      {members === null ? <Loading /> : (
        <ul class="cards">
          {members.map((x) => {
            const you = x.user.id === me?.user.id;
            return (
              <li class="card member" key={x.user.id}>
                <h2 class="h3">{nameOf(t, x.user)}{you && <span class="muted"> ({t('members.you')})</span>}</h2>
                <p class="muted">
                  {x.role === 'manager' && <><span class="badge">{t('role.manager')}</span> </>}
                  {t('members.since', { date: formatDate(lang, x.joined_at) })}
                </p>
                {!you && <ReportAction nid={id} target="member" id={x.user.id} label={t('report.member', { name: nameOf(t, x.user) })} />}
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}

// ---------------------------------------------------------------------------
// Links placed on other pages

/** On the feed: the house rules, the members and the log. */
export function FeedLinks({ id }: { id: number }) {
  const { t, me } = useApp();
  // A resident who is not a connector yet finds the opt-in here (the
  // dashboard page explains it); managers and connectors have it in the menu.
  const m = me?.memberships.find((x) => x.neighbourhood.id === id);
  const mayOptIn = m?.status === 'verified' && m.role === 'resident' && !m.connector;
  return (
    <p class="links">
      <a href={`/neighbourhoods/${id}/house-rules`}>{t('rules.link')}</a>
      <a href={`/neighbourhoods/${id}/members`}>{t('members.link')}</a>
      <a href={`/neighbourhoods/${id}/moderation-log`}>{t('mod.logLink')}</a>
      {mayOptIn && <a href={`/neighbourhoods/${id}/dashboard`}>{t('dash.optIn')}</a>}
    </p>
  );
}

/** On the manage page: to the queue and the house rules. */
export function ManageModeration({ id }: { id: number }) {
  const { t } = useApp();
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    api.get<{ reports: Report[] }>(`/neighbourhoods/${id}/reports`).then((r) => setOpen(r.reports.length), () => {});
  }, [id]);
  return (
    <section aria-labelledby="moderation-h">
      <h2 id="moderation-h">{t('mod.manageTitle')}</h2>
      <p>{t('mod.manageIntro')}</p>
      {open !== null && (
        <p class="muted" data-testid="open-reports">
          {open === 0 ? t('mod.queueEmpty') : open === 1 ? t('mod.queueCountOne') : t('mod.queueCount', { n: open })}
        </p>
      )}
      <p class="actions">
        <a class="button" href={`/neighbourhoods/${id}/moderation`}>{t('mod.toQueue')}</a>
        <a class="button" href={`/neighbourhoods/${id}/house-rules`}>{t('mod.toRules')}</a>
      </p>
    </section>
  );
}

export function moderationRoute(path: string) {
  const m = path.match(/^\/neighbourhoods\/(\d+)\/(moderation|moderation-log|house-rules|members)$/);
  if (!m) return null;
  const id = +m[1];
  switch (m[2]) {
    case 'moderation': return <ModerationQueue id={id} key={m[1]} />;
    case 'moderation-log': return <ModerationLog id={id} key={m[1]} />;
    case 'house-rules': return <HouseRulesPage id={id} key={m[1]} />;
    default: return <Members id={id} key={m[1]} />;
  }
}
