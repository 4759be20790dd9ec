// Shared pieces: app context, router helpers, page frame, form fields.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Me, Membership } from './api';
import { ApiError } from './api';
import type { Key, Lang, T } from './i18n';
import { Icon } from './icons';

export type AppCtx = {
  lang: Lang;
  t: T;
  setLang: (l: Lang) => void;
  me: Me | null;
  setMe: (m: Me | null) => void;
  refreshMe: () => Promise<Me | null>;
  go: (path: string, replace?: boolean) => void;
  path: string;
  query: URLSearchParams;
  flash: string;
  setFlash: (s: string) => void;
};

export const Ctx = createContext<AppCtx>(null as unknown as AppCtx);
export const useApp = () => useContext(Ctx);

/** The user's home membership: the one as resident or manager. */
export function homeOf(me: Me | null): Membership | undefined {
  return me?.memberships.find((m) => m.role !== 'professional');
}

let navigated = false;
export function markNavigated() { navigated = true; }

/** Page frame: sets the document title, moves focus to the heading after navigation. */
export function Page({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  const { flash, setFlash, t } = useApp();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title]);
  useEffect(() => {
    if (navigated) h1.current?.focus();
    // the flash message belongs to this page view only
    return () => { if (flash) setFlash(''); };
  }, []);
  return (
    <div class={wide ? 'page wide' : 'page'}>
      <h1 ref={h1} tabIndex={-1}>{title}</h1>
      {flash && <p class="flash" role="status">{flash}</p>}
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useApp();
  return <p class="muted" role="status">{t('app.loading')}</p>;
}

export function ErrorText({ error }: { error: unknown }) {
  const { t } = useApp();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'internal';
  return <p class="alert" role="alert">{code === 'offline' ? t('app.offline') : t('app.error')}</p>;
}

/** Field limits, for the numbers in the error texts. */
export const LIMITS: Record<string, { min?: number; max?: number }> = {
  title: { min: 3, max: 120 },
  body: { max: 5000 },
  message: { min: 1, max: 2000 },
  thanks: { max: 500 },
  hours: { min: 0, max: 1000 },
  display_name: { min: 1, max: 60 },
  password: { min: 8, max: 128 },
  email: { max: 254 },
  name: { min: 2, max: 80 },
  region: { min: 2, max: 80 },
  lat: { min: -90, max: 90 },
  lon: { min: -180, max: 180 },
};

export function fieldMessage(t: T, field: string, code: string): string {
  const lim = LIMITS[field] ?? {};
  const key = ('field.' + code) as Key;
  return t(key, { min: lim.min ?? 0, max: lim.max ?? 0 }) || code;
}

type FieldProps = {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onInput: (v: string) => void;
  onBlur?: () => void;
  type?: string;
  multiline?: boolean;
  rows?: number;
  autocomplete?: string;
  inputMode?: string;
  counter?: number;
  required?: boolean;
  min?: string;
  max?: string;
  step?: string;
};

export function Field(p: FieldProps) {
  const { t } = useApp();
  const hintId = p.hint ? p.id + '-hint' : '';
  const errId = p.error ? p.id + '-error' : '';
  const countId = p.counter ? p.id + '-count' : '';
  const described = [hintId, errId, countId].filter(Boolean).join(' ') || undefined;
  const common = {
    id: p.id,
    name: p.id,
    value: p.value,
    'aria-invalid': p.error ? ('true' as const) : undefined,
    'aria-describedby': described,
    'aria-required': p.required ? ('true' as const) : undefined,
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value),
    onBlur: p.onBlur,
  };
  return (
    <div class={p.error ? 'field has-error' : 'field'}>
      <label for={p.id}>{p.label}</label>
      {p.hint && <p class="hint" id={hintId}>{p.hint}</p>}
      {p.multiline
        ? <textarea rows={p.rows ?? 5} {...common} />
        : <input type={p.type ?? 'text'} autoComplete={p.autocomplete} inputMode={p.inputMode as any}
            min={p.min} max={p.max} step={p.step} {...common} />}
      {p.counter !== undefined && (
        <p class="count" id={countId}>{t('form.chars', { n: [...p.value].length, max: p.counter })}</p>
      )}
      {p.error && (
        <p class="error" id={errId}><Icon name="ask" size={20} /> {p.error}</p>
      )}
    </div>
  );
}

type Option = { value: string; label: string; icon?: Parameters<typeof Icon>[0]['name'] };

export function Radios({ name, legend, options, value, onChange, error, chips }: {
  name: string; legend: string; options: Option[]; value: string; onChange: (v: string) => void;
  error?: string; chips?: boolean;
}) {
  const errId = error ? name + '-error' : undefined;
  return (
    <fieldset class={chips ? 'radios chips' : 'radios'} aria-describedby={errId}>
      <legend>{legend}</legend>
      <div class="options">
        {options.map((o) => (
          <label class={value === o.value ? 'option checked' : 'option'} key={o.value}>
            <input type="radio" name={name} value={o.value} checked={value === o.value}
              onChange={() => onChange(o.value)} />
            {o.icon && <Icon name={o.icon} />}
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && <p class="error" id={errId}><Icon name="ask" size={20} /> {error}</p>}
    </fieldset>
  );
}

/** Focus the first invalid control of a form after errors are shown. */
export function focusFirstError(form: HTMLFormElement | null) {
  setTimeout(() => {
    const el = form?.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[aria-describedby] input');
    el?.focus();
  }, 0);
}
