// Small client for the Noaber API: cookie session plus X-CSRF-Token on changes.

// A person who erased their account comes with former_neighbour: true and
// no name of their own; show the translated "former neighbour" instead.
// A professional acting as one carries their badge: professional.organisation
// (docs/professionals.md).
export type Person = {
  id: number; display_name: string; former_neighbour?: boolean; professional?: { organisation: string };
};
export type User = { id: number; email: string; display_name: string; locale: 'nl' | 'en' };
export type Role = 'resident' | 'manager' | 'professional';
export type MStatus = 'pending' | 'verified' | 'suspended';
export type Membership = {
  neighbourhood: { id: number; name: string }; role: Role; status: MStatus; joined_at?: string;
  connector?: boolean; // a manager, or a resident who opted in (docs/managers.md)
};
export type Me = { user: User; csrf_token: string; memberships: Membership[] };
export type Neighbourhood = {
  id: number; name: string; region: string; lat: number; lon: number; member_count: number;
  created_at?: string; my_membership?: { role: Role; status: MStatus };
};
export type Kind = 'ask' | 'offer';
export type Category = 'goods' | 'knowledge' | 'money' | 'contacts' | 'care';
export type PostStatus = 'open' | 'promised' | 'done' | 'closed' | 'expired';
export type Visibility = 'neighbourhood' | 'nearby' | 'region';
export type Response = { id: number; post_id: number; responder: Person; message: string; status: 'pending' | 'accepted'; created_at: string };
export type Post = {
  id: number; neighbourhood_id: number; author: Person; kind: Kind; category: Category;
  title: string; body: string; body_html: string; visibility: Visibility; status: PostStatus;
  created_at: string; expires_at: string | null; response_count: number; responses?: Response[];
};
export type Exchange = {
  id: number; post_id: number; giver: Person; receiver: Person; category: Category;
  hours: number | null; thanks: string | null; completed_at: string;
};
export type Member = { user: Person; role: Role; status: MStatus; joined_at: string };

// GET /neighbourhoods/{id}/health (docs/community-health.md); null is a
// count withheld from professionals.
export type HealthShare = { numerator: number | null; denominator: number | null; share: number | null };
export type HealthMonth = {
  month: string; new_ties: number | null; kept_ties: number | null; deepened_ties: number | null;
  bridging_ties: number | null; newcomers_reached: number | null;
  asks_answered_within_48h: HealthShare; asks_completed: HealthShare;
};
export type HealthReport = {
  neighbourhood_id: number; from: string; to: string; suppressed_below: number | null; months: HealthMonth[];
};

export const CATEGORIES: Category[] = ['goods', 'knowledge', 'money', 'contacts', 'care'];

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

let csrf = '';
export function setCsrf(token: string) { csrf = token; }

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: globalThis.Response;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'network');
  }
  if (res.status === 204) return undefined as T;
  let data: any = null;
  try { data = await res.json(); } catch { /* empty body */ }
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'internal', e.message ?? '', e.fields ?? {});
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}
