// The console's only way to the server: the public API with the signed-in user's bearer token, which lives in
// session storage (never in a URL) and is dropped at sign-out or on a 401.
const KEY = 'auditlog.token';

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail?.msg === 'string' ? detail.msg
      : Array.isArray(detail) ? detail.map((d) => `${(d.loc || []).join('.')}: ${d.msg}`).join('; ')
        : `HTTP ${status}`);
    this.status = status;
    this.type = detail?.type ?? null;
  }

  /** {line, column} of a filter syntax error ("line 1:9: ..."), or null. */
  get position() {
    const m = this.type === 'filter_syntax' && /^line (\d+):(\d+): /.exec(this.message);
    return m ? { line: Number(m[1]), column: Number(m[2]), text: this.message.slice(m[0].length) } : null;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(callback) { onUnauthorized = callback; }

export async function request(path, { method = 'GET', form, json, accept } = {}) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let body;
  if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  } else if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  if (accept) headers.Accept = accept;
  const response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  if (!response.ok) {
    let detail = null;
    try { detail = (await response.json()).detail; } catch { /* not JSON */ }
    if (response.status === 401 && session.token && !form) onUnauthorized();
    throw new ApiError(response.status, detail);
  }
  return response;
}

export const getJson = async (path) => (await request(path)).json();
export const getText = async (path) => (await request(path)).text();

export async function signIn(username, password) {
  const answer = await (await request('/auth/login', { method: 'POST', form: { username, password } })).json();
  session.token = answer.access_token;
}

export function signOut() { session.token = null; }

/** The URL of the next page from a Link header, or null. */
export function nextLink(response) {
  const m = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') || '');
  return m ? m[1] : null;
}

/** "value;count" lines after the header of /api/events/count?variable= (values may be double-quoted). */
export function parseCounts(csv) {
  const rows = [];
  const re = /("(?:[^"]|"")*"|[^;\n]*);(\d+)\n/g;
  const body = csv.slice(csv.indexOf('\n') + 1);
  let m;
  while ((m = re.exec(body)) !== null) {
    const raw = m[1];
    rows.push({ value: raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw, count: Number(m[2]) });
    if (m[0].length === 0) break;
  }
  return rows;
}
