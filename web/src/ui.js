// ui.js — the pieces every page shares: error messages by status, panels that load on their own,
// the confirmation dialog, labels for the server's values, pagination.
import { h, clear } from './dom.js';
import { t, has } from './i18n.js';
import { setToken } from './api.js';

// A server value (a state, an action, a role) in the current language when the table knows it.
export function label(prefix, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : String(value);
}

export function badge(prefix, value, extra) {
  return h('span.badge', { class: `b-${String(value).replace(/[^a-z0-9-]/gi, '')}`, dataset: { value: value ?? '' } },
    label(prefix, value), extra || null);
}

// The clear message for a failed call, by status.
export function errorBox(err) {
  const status = err && err.status !== undefined ? err.status : -1;
  const body = (err && err.body) || {};
  let title, hint = null;
  if (status === 401) {
    title = t('err.401');
    hint = h('button.btn', { type: 'button', onclick: () => { setToken(null); location.hash = '#/login'; } }, t('login.again'));
  } else if (status === 403) title = t('err.403');
  else if (status === 404) title = t('err.404');
  else if (status === 409) title = t('err.409');
  else if (status === 400 || status === 422) title = t('err.400');
  else if (status === 0) title = t('err.network');
  else if (status === -1) title = t('err.client');
  else title = t('err.other', { status });
  const detail = body.message || body.reason || (status === -1 ? String(err && err.message) : '');
  return h('div.error', { role: 'alert', dataset: { status: String(status), test: 'error' } },
    h('strong', null, title),
    detail ? h('div.detail', null, detail, body.code ? h('code', null, ` (${body.code})`) : null) : null,
    hint);
}

// A titled panel whose body comes from an async loader; a failure stays inside the panel.
export function panel(title, loader, { cls, test } = {}) {
  const body = h('div.panel-body', null, h('div.loading', null, t('loading')));
  const el = h('section.panel', { class: cls, dataset: test ? { test } : null }, title ? h('h2', null, title) : null, body);
  Promise.resolve()
    .then(loader)
    .then((node) => append1(clear(body), node))
    .catch((e) => append1(clear(body), errorBox(e)));
  return el;
}

function append1(el, node) {
  if (Array.isArray(node)) node.flat(Infinity).forEach((n) => n && el.append(n));
  else if (node) el.append(node);
  return el;
}

// Confirmation before anything that changes state. Resolves to null (cancelled) or {value}.
export function confirmDialog({ title, message, input, confirmLabel, danger }) {
  return new Promise((resolve) => {
    const field = input
      ? h(input.multiline ? 'textarea' : 'input', {
        name: 'value', required: input.required ? true : null, placeholder: input.placeholder || '',
        rows: input.multiline ? 3 : null, dataset: { test: 'confirm-input' },
      })
      : null;
    const err = h('div.form-error');
    const dlg = h('dialog.confirm', { dataset: { test: 'confirm' } },
      h('form', { method: 'dialog' },
        h('h3', null, title),
        message ? h('p', null, message) : null,
        field ? h('label', null, input.label, field) : null,
        err,
        h('div.buttons', null,
          h('button.btn', { type: 'button', value: 'cancel', dataset: { test: 'confirm-cancel' }, onclick: () => done(null) }, t('cancel')),
          h('button.btn.primary', { type: 'submit', class: danger ? 'danger' : null, dataset: { test: 'confirm-ok' } }, confirmLabel || t('confirm')))));
    let settled = false;
    function done(v) {
      if (settled) return;
      settled = true;
      if (dlg.open) dlg.close();
      dlg.remove();
      resolve(v);
    }
    dlg.querySelector('form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = field ? field.value.trim() : null;
      if (input && input.required && !value) {
        err.textContent = t('required');
        return;
      }
      done({ value });
    });
    dlg.addEventListener('cancel', () => done(null));
    document.body.append(dlg);
    dlg.showModal();
    (field || dlg.querySelector('[data-test=confirm-ok]')).focus();
  });
}

// A pager over X-Total-Count: calls onPage(offset).
export function pager(total, offset, limit, onPage) {
  if (total === null || total === undefined) return null;
  const from = total === 0 ? 0 : offset + 1, to = Math.min(total, offset + limit);
  return h('div.pager', null,
    h('button.btn', { type: 'button', disabled: offset <= 0, onclick: () => onPage(Math.max(0, offset - limit)) }, '‹ ' + t('prev')),
    h('span', null, t('pager', { from, to, total })),
    h('button.btn', { type: 'button', disabled: offset + limit >= total, onclick: () => onPage(offset + limit) }, t('next') + ' ›'));
}

// Key/value rows.
export function facts(pairs) {
  return h('dl.facts', null, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]));
}

export function toast(msg, kind = 'ok') {
  const el = h('div.toast', { class: kind, role: 'status', dataset: { test: 'toast' } }, msg);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
