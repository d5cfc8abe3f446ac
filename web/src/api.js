// api.js — every call to warden serve: same origin only, the token from sessionStorage as a bearer.
const TOKEN_KEY = 'warden.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, body, path) {
    super((body && (body.message || body.reason)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.path = path;
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// Returns {data, total} (total: X-Total-Count as a number, or null). Throws ApiError on any
// non-2xx answer, and ApiError(0) when the server cannot be reached.
export async function api(path, { method = 'GET', params, body, token } = {}) {
  const headers = { Accept: 'application/json' };
  const tok = token === undefined ? getToken() : token;
  if (tok) headers.Authorization = 'Bearer ' + tok;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = path + query(params);
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { message: String(e.message || e) }, url);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 500) };
    }
  }
  if (!res.ok) throw new ApiError(res.status, data, url);
  const tc = res.headers.get('X-Total-Count');
  return { data, total: tc === null ? null : Number(tc) };
}

export const enc = encodeURIComponent;
