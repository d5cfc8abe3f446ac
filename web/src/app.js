// app.js — the dashboard's shell: hash routes, the header (navigation, who is logged in, the
// language switch), and the login guard. Each page is a module in pages/ exporting render(ctx).
import { h, clear } from './dom.js';
import { t, lang, setLang, LANGS } from './i18n.js';
import { api, getToken, setToken, ApiError } from './api.js';
import { errorBox, label } from './ui.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as cases from './pages/cases.js';
import * as caseView from './pages/case.js';
import * as numbers from './pages/numbers.js';
import * as numberView from './pages/number.js';
import * as agents from './pages/agents.js';
import * as agentView from './pages/agent.js';
import * as customerView from './pages/customer.js';
import * as clusters from './pages/clusters.js';
import * as audit from './pages/audit.js';

const ROUTES = [
  [/^\/login$/, login, null],
  [/^\/(overview)?$/, overview, 'overview'],
  [/^\/cases$/, cases, 'cases'],
  [/^\/cases\/([^/]+)$/, caseView, 'cases'],
  [/^\/numbers$/, numbers, 'numbers'],
  [/^\/numbers\/([^/]+)$/, numberView, 'numbers'],
  [/^\/agents$/, agents, 'agents'],
  [/^\/agents\/([^/]+)$/, agentView, 'agents'],
  [/^\/customers\/([^/]+)$/, customerView, 'agents'],
  [/^\/clusters$/, clusters, 'clusters'],
  [/^\/clusters\/([^/]+)$/, clusters, 'clusters'],
  [/^\/audit$/, audit, 'audit'],
];
const NAV = ['overview', 'cases', 'numbers', 'agents', 'clusters', 'audit'];

const session = { me: null };
let generation = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(qs || '')) };
}

// Replaces the query of the current route (used by filters and pagers): a new history entry.
export function navigate(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== '' && v !== null && v !== undefined && v !== false) q.set(k, v);
  const s = q.toString();
  location.hash = '#' + path + (s ? '?' + s : '');
}

function header(active) {
  const me = session.me;
  return h('header.top', null,
    h('a.brand', { href: '#/overview' }, 'warden', h('span.sub', null, t('app.subtitle'))),
    // the audit log is for platform and auditor tokens (the server answers 403 to the others)
    h('nav', null, NAV.filter((n) => n !== 'audit' || !me || me.role === 'platform' || me.role === 'auditor').map((n) => h('a', { href: '#/' + n, class: n === active ? 'active' : null, dataset: { nav: n } }, t('nav.' + n)))),
    h('div.who', null,
      me ? h('span.me', { dataset: { test: 'me' } }, label('role', me.role), me.scope ? ` · ${me.scope}` : '') : null,
      h('span.tz', { title: t('tz.long') }, t('tz.short')),
      h('button.btn.lang', { type: 'button', dataset: { test: 'lang' }, title: t('lang.switch'),
        onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); render(); } },
      LANGS[lang() === 'zh' ? 'en' : 'zh']),
      me ? h('button.btn', { type: 'button', dataset: { test: 'logout' }, onclick: logout }, t('logout')) : null));
}

export function logout() {
  setToken(null);
  session.me = null;
  location.hash = '#/login';
}

export async function loadMe(token) {
  const { data } = await api('/warden/v1/me', { token });
  return data;
}

export async function render() {
  const gen = ++generation;
  const root = document.getElementById('app');
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  const { path, query } = parseHash();
  const found = ROUTES.map(([re, mod, nav]) => [path.match(re), mod, nav]).find(([m]) => m);

  if (!found || found[1] !== login) {
    if (!getToken()) {
      location.hash = '#/login';
      return;
    }
    if (!session.me) {
      try {
        session.me = await loadMe();
      } catch (e) {
        if (gen !== generation) return;
        if (e instanceof ApiError && e.status === 401) {
          setToken(null);
          sessionStorage.setItem('warden.loginMessage', 'login.expired');
          location.hash = '#/login';
          return;
        }
        clear(root).append(header(null), h('main', null, errorBox(e)));
        return;
      }
    }
  }
  if (gen !== generation) return;
  if (!found) {
    clear(root).append(header(null), h('main', null, h('div.error', null, h('strong', null, t('err.noroute')))));
    return;
  }
  const [m, mod, nav] = found;
  const ctx = { params: m.slice(1).filter((x) => x !== undefined), query, path, me: session.me, render,
    navigate: (q) => navigate(path, q), onLogin: (me) => { session.me = me; } };
  const main = h('main', { dataset: { page: nav || 'login' } }, h('div.loading', null, t('loading')));
  clear(root);
  if (mod !== login) root.append(header(nav));
  root.append(main);
  try {
    const node = await mod.render(ctx);
    if (gen !== generation) return;
    clear(main).append(node);
  } catch (e) {
    if (gen !== generation) return;
    clear(main).append(errorBox(e));
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', render);
