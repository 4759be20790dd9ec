// The feed, new posts, a post's page, the thank-you trail, and managing.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api, ApiError, CATEGORIES, qs,
  type Category, type Exchange, type Kind, type Member, type Post, type Response, type Visibility,
} from './api';
import { formatDate, type T } from './i18n';
import { Icon } from './icons';
import { Pending, NotFound } from './pages';
import { NotForProsSwitch, PostProfessionals, ProBadge, ProFeed, ProNewPost } from './professionals';
import { ErrorText, Field, fieldMessage, focusFirstError, Loading, Page, Radios, useApp } from './ui';
import { FeedLinks, ManageModeration, ReportAction } from './moderation';

type Errors = Record<string, string>;

// How another person is named on screen.
function nameOf(t: T, p: { display_name: string; former_neighbour?: boolean }): string {
  return p.former_neighbour ? t('person.former') : p.display_name;
}

function useMembership(id: number) {
  const { me } = useApp();
  return me?.memberships.find((m) => m.neighbourhood.id === id);
}

function CategoryBadge({ category }: { category: Category }) {
  const { t } = useApp();
  return (
    <span class={'badge cat-' + category}>
      <Icon name={category} size={20} /> {t(('cat.' + category) as any)}
    </span>
  );
}

export function PostCard({ p }: { p: Post }) {
  const { t, lang } = useApp();
  return (
    <li class={'card post ' + p.kind}>
      <p class="kinds">
        <span class={'badge kind-' + p.kind}>{t(p.kind === 'ask' ? 'kind.ask' : 'kind.offer')}</span>
        <CategoryBadge category={p.category} />
        {p.status !== 'open' && <span class="badge status">{t(('status.' + p.status) as any)}</span>}
      </p>
      <h2 class="h3"><a href={"/posts/" + p.id}>{p.title}</a></h2>
      <p class="muted">
        {t('feed.by', { name: nameOf(t, p.author) })} <ProBadge person={p.author} /> · <time dateTime={p.created_at}>{formatDate(lang, p.created_at)}</time>
        {p.response_count > 0 && ' · ' + (p.response_count === 1 ? t('feed.oneResponse') : t('feed.responses', { n: p.response_count }))}
      </p>
    </li>
  );
}

export function Feed({ id }: { id: number }) {
  const { t } = useApp();
  const m = useMembership(id);
  const [kind, setKind] = useState('');
  const [category, setCategory] = useState('');
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const verified = m?.status === 'verified';

  async function load(more: boolean) {
    setBusy(true);
    setError(null);
    try {
      const r = await api.get<{ posts: Post[]; next_cursor: string | null }>(
        `/neighbourhoods/${id}/feed` + qs({ kind, category, limit: 20, cursor: more ? cursor : undefined }));
      const before = more && posts ? posts.length : 0;
      setPosts(more && posts ? [...posts, ...r.posts] : r.posts);
      setCursor(r.next_cursor);
      if (more) {
        // keyboard users continue at the first new post
        setTimeout(() => listRef.current?.querySelectorAll<HTMLAnchorElement>('li h2 a')[before]?.focus(), 0);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => { if (verified) load(false); }, [kind, category, verified]);

  if (!m) return <ProFeed id={id} Card={PostCard} />; // an active professional's feed, or not found
  if (m.status === 'pending') return <Pending name={m.neighbourhood.name} id={id} />;
  const filtered = !!(kind || category);
  return (
    <Page title={t('feed.title', { name: m.neighbourhood.name })}>
      <p><a class="button primary" href={`/neighbourhoods/${id}/new`}>{t('feed.newPost')}</a></p>
      <FeedLinks id={id} />
      <section class="filters" aria-label={t('feed.filters')}>
        <Radios chips name="kind" legend={t('feed.kind')} value={kind} onChange={setKind}
          options={[{ value: '', label: t('feed.all') }, { value: 'ask', label: t('feed.asks'), icon: 'ask' },
            { value: 'offer', label: t('feed.offers'), icon: 'offer' }]} />
        <Radios chips name="category" legend={t('feed.category')} value={category} onChange={setCategory}
          options={[{ value: '', label: t('feed.all') },
            ...CATEGORIES.map((c) => ({ value: c, label: t(('cat.' + c) as any), icon: c }))]} />
      </section>
      <ErrorText error={error} />
      {posts === null ? <Loading /> : posts.length === 0 ? (
        <div class="empty">
          <p>{filtered ? t('feed.emptyFiltered') : t('feed.empty')}</p>
          {!filtered && <p><a class="button primary" href={`/neighbourhoods/${id}/new`}>{t('nav.newPost')}</a></p>}
        </div>
      ) : (
        <>
          <ul class="cards" ref={listRef}>
            {posts.map((p) => <PostCard p={p} key={p.id} />)}
          </ul>
          <p class="muted" role="status">{posts.length === 1 ? t('feed.countOne') : t('feed.count', { n: posts.length })}</p>
          {cursor && <button type="button" disabled={busy} onClick={() => load(true)}>{t('feed.more')}</button>}
        </>
      )}
    </Page>
  );
}

function isoDay(d: Date) {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function NewPost({ id }: { id: number }) {
  const { t, go, setFlash } = useApp();
  const m = useMembership(id);
  const defaultExpiry = isoDay(new Date(Date.now() + 30 * 864e5));
  const [v, setV] = useState({ kind: '', category: '', title: '', body: '', visibility: 'neighbourhood', expiry: defaultExpiry });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [notForPros, setNotForPros] = useState<boolean | undefined>(undefined);
  const form = useRef<HTMLFormElement>(null);

  if (!m) return <ProNewPost id={id} />; // an active professional's offer, or not found
  if (m.status !== 'verified') return <Pending name={m.neighbourhood.name} />;

  function expiryEnd(day: string): Date | null {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
    const d = new Date(day + 'T23:59:00');
    return isNaN(d.getTime()) ? null : d;
  }
  function check(): Errors {
    const out: Errors = {};
    if (!v.kind) out.kind = fieldMessage(t, 'kind', 'required');
    if (!v.category) out.category = fieldMessage(t, 'category', 'required');
    const n = [...v.title.trim()].length;
    if (!n) out.title = fieldMessage(t, 'title', 'required');
    else if (n < 3) out.title = fieldMessage(t, 'title', 'too_short');
    else if (n > 120) out.title = fieldMessage(t, 'title', 'too_long');
    if ([...v.body].length > 5000) out.body = fieldMessage(t, 'body', 'too_long');
    if (v.expiry) {
      const d = expiryEnd(v.expiry);
      if (!d) out.expires_at = fieldMessage(t, 'expires_at', 'invalid');
      else if (d.getTime() <= Date.now()) out.expires_at = fieldMessage(t, 'expires_at', 'in_past');
      else if (d.getTime() > Date.now() + 366 * 864e5) out.expires_at = fieldMessage(t, 'expires_at', 'too_far');
    }
    return out;
  }
  const live = check();
  // Shown: live errors for fields the user has touched, else what the server said.
  const shown: Errors = {};
  for (const k of ['kind', 'category', 'title', 'body', 'visibility', 'expires_at']) {
    const touchKey = k === 'expires_at' ? 'expiry' : k;
    if (touched[touchKey] && live[k]) shown[k] = live[k];
    else if (serverErrors[k] && !touched[touchKey]) shown[k] = serverErrors[k];
  }
  const set = (k: keyof typeof v, validateNow = false) => (val: string) => {
    setV({ ...v, [k]: val });
    if (validateNow || touched[k]) setTouched({ ...touched, [k]: true });
  };
  const blur = (k: string) => () => setTouched({ ...touched, [k]: true });

  async function submit(e: Event) {
    e.preventDefault();
    setFormError('');
    setServerErrors({});
    const errs = check();
    if (Object.keys(errs).length) {
      setTouched({ kind: true, category: true, title: true, body: true, expiry: true });
      setFormError(t('form.hasErrors'));
      focusFirstError(form.current);
      return;
    }
    setBusy(true);
    try {
      const d = v.expiry ? expiryEnd(v.expiry) : null;
      const r = await api.post<{ post: Post }>(`/neighbourhoods/${id}/posts`, {
        kind: v.kind as Kind, category: v.category as Category, title: v.title.trim(), body: v.body,
        visibility: v.visibility as Visibility, expires_at: d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : undefined,
        not_for_professionals: notForPros,
      });
      setFlash(t('post.created'));
      go('/posts/' + r.post.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Errors = {};
        for (const [f, code] of Object.entries(err.fields)) out[f] = fieldMessage(t, f, code);
        setServerErrors(out);
        setTouched({});
        setFormError(t('form.hasErrors'));
        focusFirstError(form.current);
      } else if (err instanceof ApiError && err.code === 'rate_limited') {
        setFormError(t('auth.rateLimited'));
      } else {
        setFormError(t('app.error'));
      }
    } finally {
      setBusy(false);
    }
  }
  const maxDay = isoDay(new Date(Date.now() + 365 * 864e5));
  return (
    <Page title={t('post.newTitle')}>
      <form ref={form} onSubmit={submit} noValidate class="post-form">
        {formError && <p class="alert" role="alert">{formError}</p>}
        <Radios name="kind" legend={t('post.kind')} value={v.kind} onChange={set('kind', true)} error={shown.kind}
          options={[{ value: 'ask', label: t('post.kindAsk'), icon: 'ask' }, { value: 'offer', label: t('post.kindOffer'), icon: 'offer' }]} />
        <Radios name="category" legend={t('post.category')} value={v.category} onChange={set('category', true)} error={shown.category}
          options={CATEGORIES.map((c) => ({ value: c, label: t(('cat.' + c) as any), icon: c }))} />
        <NotForProsSwitch id={id} category={v.category} value={notForPros} onChange={setNotForPros} />
        <Field id="title" label={t('post.title')} hint={t('post.titleHint')} value={v.title}
          onInput={set('title')} onBlur={blur('title')} error={shown.title} counter={120} required />
        <Field id="body" label={t('post.body')} hint={t('post.bodyHint')} multiline rows={6} value={v.body}
          onInput={set('body', true)} error={shown.body} counter={5000} />
        <Radios name="visibility" legend={t('post.visibility')} value={v.visibility} onChange={set('visibility')}
          error={shown.visibility}
          options={(['neighbourhood', 'nearby', 'region'] as const).map((x) => ({ value: x, label: t(('vis.' + x) as any) }))} />
        <Field id="expires_at" label={t('post.expiry')} hint={t('post.expiryHint')} type="date" value={v.expiry}
          min={isoDay(new Date())} max={maxDay} onInput={set('expiry', true)} error={shown.expires_at} />
        <button class="primary" type="submit" disabled={busy}>{t('post.submit')}</button>
      </form>
    </Page>
  );
}

export function PostPage({ id }: { id: number }) {
  const { t, lang, me, setFlash, flash } = useApp();
  const [post, setPost] = useState<Post | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const [msgError, setMsgError] = useState('');
  const [thanks, setThanks] = useState('');
  const [hours, setHours] = useState('');
  const [cErrors, setCErrors] = useState<Errors>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);

  async function load() {
    try {
      const r = await api.get<{ post: Post }>('/posts/' + id);
      setPost(r.post);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => { load(); }, [id]);

  if (error) {
    if (error instanceof ApiError && error.status === 404) return <NotFound />;
    return <Page title={t('app.error')}><ErrorText error={error} /></Page>;
  }
  if (!post) return <Page title={t('app.loading')}><Loading /></Page>;
  const mine = me?.user.id === post.author.id;
  // reports are filed in the post's own neighbourhood, by its verified members
  const canReport = me?.memberships.some((x) => x.neighbourhood.id === post.neighbourhood_id && x.status === 'verified');
  const canRespond = post.status === 'open' || post.status === 'promised';

  function announce(s: string) {
    setNote(s);
    setTimeout(() => statusRef.current?.focus(), 0);
  }

  async function respond(e: Event) {
    e.preventDefault();
    const text = message.trim();
    if (!text) { setMsgError(fieldMessage(t, 'message', 'required')); return; }
    if ([...text].length > 2000) { setMsgError(fieldMessage(t, 'message', 'too_long')); return; }
    setBusy(true);
    try {
      await api.post<{ response: Response }>(`/posts/${id}/responses`, { message: text });
      setMessage('');
      setMsgError('');
      announce(t('post.responded', { name: nameOf(t, post!.author) }));
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') setMsgError(fieldMessage(t, 'message', err.fields.message ?? 'invalid'));
      else if (err instanceof ApiError && err.code === 'conflict') announce(t('post.alreadyResponded'));
      else announce(t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  async function accept(r: Response) {
    setBusy(true);
    try {
      await api.post(`/responses/${r.id}/accept`);
      await load();
      announce(t('post.accepted') + ': ' + nameOf(t, r.responder));
    } catch {
      announce(t('app.error'));
    } finally {
      setBusy(false);
    }
  }
  async function complete(e: Event) {
    e.preventDefault();
    const errs: Errors = {};
    if ([...thanks.trim()].length > 500) errs.thanks = fieldMessage(t, 'thanks', 'too_long');
    const h = hours.trim().replace(',', '.');
    if (h && (!isFinite(+h) || +h <= 0 || +h > 1000)) errs.hours = fieldMessage(t, 'hours', 'out_of_range');
    setCErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = {};
      if (thanks.trim()) body.thanks = thanks.trim();
      if (h) body.hours = +h;
      await api.post(`/posts/${id}/complete`, body);
      await load();
      announce(t('post.completed'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_failed') {
        const out: Errors = {};
        for (const [f, code] of Object.entries(err.fields)) out[f] = fieldMessage(t, f, code);
        setCErrors(out);
      } else announce(t('app.error'));
    } finally {
      setBusy(false);
    }
  }

  const accepted = post.responses?.some((r) => r.status === 'accepted');
  return (
    <Page title={post.title}>
      <p class="kinds">
        <span class={'badge kind-' + post.kind}>{t(post.kind === 'ask' ? 'kind.ask' : 'kind.offer')}</span>
        <CategoryBadge category={post.category} />
        <span class="badge status">{t(('status.' + post.status) as any)}</span>
      </p>
      <p class="muted">
        {t('feed.by', { name: nameOf(t, post.author) })} <ProBadge person={post.author} /> · <time dateTime={post.created_at}>{formatDate(lang, post.created_at)}</time>
        {post.expires_at && post.status === 'open' ? ' · ' + t('post.expires', { date: formatDate(lang, post.expires_at) }) : ''}
      </p>
      {/* body_html is sanitised by the server (raw HTML and unsafe URLs removed) */}
      <div class="body" dangerouslySetInnerHTML={{ __html: post.body_html }} />
      {(post as { hidden?: boolean }).hidden && <p class="alert">{t('post.hidden')}</p>}
      {canReport && !mine && <ReportAction nid={post.neighbourhood_id} target="post" id={post.id} label={t('report.post')} />}
      <p class="note" role="status" tabIndex={-1} ref={statusRef}>{note}</p>

      {post.status === 'done' && <p class="done"><Icon name="heart" /> {t('post.doneNote')}</p>}

      {!mine && (
        <section aria-labelledby="respond-h">
          <h2 id="respond-h">{t('post.respondTitle')}</h2>
          {canRespond ? (
            <form onSubmit={respond} noValidate>
              <Field id="message" label={t('post.respondLabel', { name: nameOf(t, post.author) })}
                hint={t('post.respondHint')} multiline rows={4} value={message}
                onInput={(s) => { setMessage(s); if (msgError && s.trim()) setMsgError(''); }} error={msgError} required />
              <button class="primary" type="submit" disabled={busy}>{t('post.respond')}</button>
            </form>
          ) : <p>{t('post.closedForResponses')}</p>}
        </section>
      )}

      {mine && (
        <section aria-labelledby="responses-h">
          <h2 id="responses-h">{t('post.responsesTitle')}</h2>
          {!post.responses?.length ? <p>{t('post.noResponses')}</p> : (
            <ul class="cards">
              {post.responses.map((r) => (
                <li class="card" key={r.id}>
                  <h3>{nameOf(t, r.responder)} <ProBadge person={r.responder} /></h3>
                  <p class="message">{r.message}</p>
                  <p class="muted"><time dateTime={r.created_at}>{formatDate(lang, r.created_at)}</time></p>
                  {canReport && r.responder.id !== me?.user.id && (
                    <ReportAction nid={post.neighbourhood_id} target="response" id={r.id}
                      label={t('report.response', { name: nameOf(t, r.responder) })} />
                  )}
                  {r.status === 'accepted'
                    ? <p class="badge ok">{t('post.accepted')}</p>
                    : canRespond && (
                      <button type="button" disabled={busy} onClick={() => accept(r)}>
                        {t('post.accept', { name: nameOf(t, r.responder) })}
                      </button>
                    )}
                </li>
              ))}
            </ul>
          )}
          {post.status === 'promised' && accepted && (
            <form onSubmit={complete} noValidate class="complete">
              <h2>{t('post.completeTitle')}</h2>
              <p>{t('post.completeIntro')}</p>
              <Field id="thanks" label={t('post.thanks')} multiline rows={3} value={thanks} onInput={setThanks}
                error={cErrors.thanks} counter={500} />
              <Field id="hours" label={t('post.hours')} inputMode="decimal" value={hours} onInput={setHours} error={cErrors.hours} />
              <button class="primary" type="submit" disabled={busy}>{t('post.complete')}</button>
            </form>
          )}
        </section>
      )}
      {mine && <PostProfessionals post={post} onChange={(p) => setPost({ ...post, ...p })} />}
      <p><a href={'/neighbourhoods/' + post.neighbourhood_id}>{t('post.back')}</a></p>
    </Page>
  );
}

export function Trail({ id }: { id: number }) {
  const { t, lang } = useApp();
  const m = useMembership(id);
  const [items, setItems] = useState<Exchange[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function load(more: boolean) {
    try {
      const r = await api.get<{ exchanges: Exchange[]; next_cursor: string | null }>(
        `/neighbourhoods/${id}/exchanges` + qs({ limit: 20, cursor: more ? cursor : undefined }));
      setItems(more && items ? [...items, ...r.exchanges] : r.exchanges);
      setCursor(r.next_cursor);
    } catch (e) { setError(e); }
  }
  useEffect(() => { if (m?.status === 'verified') load(false); }, [id]);
  if (!m) return <NotFound />;
  if (m.status !== 'verified') return <Pending name={m.neighbourhood.name} />;
  const num = new Intl.NumberFormat(lang);
  return (
    <Page title={t('trail.title', { name: m.neighbourhood.name })}>
      <p>{t('trail.intro')}</p>
      <ErrorText error={error} />
      {items === null ? <Loading /> : items.length === 0 ? <p class="empty">{t('trail.empty')}</p> : (
        <>
          <ul class="cards trail">
            {items.map((x) => (
              <li class="card" key={x.id}>
                <h2 class="h3" id={'ex-' + x.id}><Icon name="heart" /> {t('trail.helped', { giver: nameOf(t, x.giver), receiver: nameOf(t, x.receiver) })}</h2>
                <p class="muted">
                  <CategoryBadge category={x.category} /> · <time dateTime={x.completed_at}>{formatDate(lang, x.completed_at)}</time>
                  {x.hours != null && ' · ' + t('trail.hours', { n: num.format(x.hours) })}
                </p>
                {x.thanks && <blockquote><p>{x.thanks}</p></blockquote>}
                <p><a href={'/posts/' + x.post_id} aria-describedby={'ex-' + x.id}>{t('trail.viewPost')}</a></p>
              </li>
            ))}
          </ul>
          {cursor && <button type="button" onClick={() => load(true)}>{t('feed.more')}</button>}
        </>
      )}
    </Page>
  );
}

export function Manage({ id }: { id: number }) {
  const { t, lang } = useApp();
  const m = useMembership(id);
  const [invite, setInvite] = useState<{ code: string; expires_at: string } | null>(null);
  const [pending, setPending] = useState<Member[] | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isManager = m?.role === 'manager' && m.status === 'verified';

  async function loadPending() {
    try {
      const r = await api.get<{ members: Member[] }>(`/neighbourhoods/${id}/members?status=pending`);
      setPending(r.members);
    } catch (e) { setError(e); }
  }
  useEffect(() => { if (isManager) loadPending(); }, [id]);
  if (!m || !isManager) return <NotFound />;

  async function makeInvite() {
    setBusy(true);
    setNote('');
    try {
      setInvite(await api.post<{ code: string; expires_at: string }>(`/neighbourhoods/${id}/invites`));
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setNote(t('manage.copied'));
    } catch {
      setNote(t('manage.copyFailed'));
    }
  }
  async function approve(x: Member) {
    setBusy(true);
    try {
      await api.post(`/neighbourhoods/${id}/members/${x.user.id}/approve`);
      setNote(t('manage.approved', { name: nameOf(t, x.user) }));
      await loadPending();
    } catch (e) { setError(e); } finally { setBusy(false); }
  }
  const link = invite ? `${location.origin}/join/${id}?code=${invite.code}` : '';
  return (
    <Page title={t('manage.title', { name: m.neighbourhood.name })}>
      <p><a href={`/neighbourhoods/${id}/dashboard`}>{t('dash.link')}</a></p>
      <ErrorText error={error} />
      <p class="note" role="status">{note}</p>
      <section aria-labelledby="invite-h">
        <h2 id="invite-h">{t('manage.inviteTitle')}</h2>
        <p>{t('manage.inviteIntro')}</p>
        <button class="primary" type="button" disabled={busy} onClick={makeInvite}>{t('manage.makeInvite')}</button>
        <div aria-live="polite">{invite && (
          <div class="invite">
            <dl class="facts">
              <dt>{t('manage.code')}</dt><dd><code class="code" data-testid="invite-code">{invite.code}</code></dd>
              <dt>{t('manage.link')}</dt><dd><a href={`/join/${id}?code=${invite.code}`} class="break">{link}</a></dd>
            </dl>
            <p class="muted">{t('manage.expires', { date: formatDate(lang, invite.expires_at) })}</p>
            <div class="actions">
              <button type="button" onClick={() => copy(invite.code)}>{t('manage.copyCode')}</button>
              <button type="button" onClick={() => copy(link)}>{t('manage.copyLink')}</button>
            </div>
          </div>
        )}</div>
      </section>
      <section aria-labelledby="pending-h">
        <h2 id="pending-h">{t('manage.pendingTitle')}</h2>
        {pending === null ? <Loading /> : pending.length === 0 ? <p>{t('manage.noPending')}</p> : (
          <ul class="cards">
            {pending.map((x) => (
              <li class="card" key={x.user.id}>
                <h3>{nameOf(t, x.user)}</h3>
                <p class="muted">{t('manage.since', { date: formatDate(lang, x.joined_at) })}</p>
                <button type="button" disabled={busy} onClick={() => approve(x)}>
                  {t('manage.approve', { name: nameOf(t, x.user) })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ManageModeration id={id} />
    </Page>
  );
}
