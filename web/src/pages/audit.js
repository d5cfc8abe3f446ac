// Audit: the chain's status (GET /warden/v1/audit/verify) and the latest entries
// (GET /warden/v1/audit?limit=&subject=).
import { h, table } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { panel } from '../ui.js';
import { cst, count } from '../format.js';

export async function render(ctx) {
  const subject = ctx.query.subject || '';
  const input = h('input', { name: 'subject', value: subject, size: 16 });
  const form = h('form.filters', null, h('label', null, t('audit.subject'), input),
    h('button.btn.primary', { type: 'submit' }, t('filter')), h('a.btn', { href: '#/audit' }, t('reset')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.navigate({ subject: input.value.trim() });
  });
  return h('div.page', null,
    h('div.page-head', null, h('h1', null, t('audit.title'))),
    panel(t('audit.chain'), async () => {
      const { data: v } = await api('/warden/v1/audit/verify');
      return h('div.verify', { class: v.ok ? 'ok' : 'bad', dataset: { test: 'audit-verify', ok: String(!!v.ok) } },
        h('strong', null, v.ok ? t('audit.ok') : t('audit.bad')),
        h('div', null, t('audit.entries', { n: count(v.entries) })),
        v.firstBad !== null && v.firstBad !== undefined ? h('div', null, t('audit.firstBad', { seq: v.firstBad })) : null,
        v.head ? h('div.small', null, t('audit.head'), ' ', h('code', null, v.head)) : null,
        v.message ? h('div.small', null, v.message) : null);
    }),
    form,
    panel(t('audit.latest'), async () => {
      const { data } = await api('/warden/v1/audit', { params: { limit: 200, subject } });
      return table([
        { label: t('audit.seq'), get: (e) => String(e.seq), cls: 'num' },
        { label: t('audit.at'), get: (e) => cst(e.at, { seconds: true }), cls: 'nowrap' },
        { label: t('audit.actor'), get: (e) => e.actor },
        { label: t('audit.action'), get: (e) => e.action },
        { label: t('audit.subjectCol'), get: (e) => e.subject },
        { label: t('audit.detail'), get: (e) => e.detail },
      ], data || [], { empty: t('nodata') });
    }, { test: 'audit-list' }));
}
