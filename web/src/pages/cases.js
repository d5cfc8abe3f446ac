// Cases: a filtered list (state, kind, agent, overdue) — GET /warden/v1/cases with X-Total-Count.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { badge, label, pager, panel } from '../ui.js';
import { cst, yuan, duration } from '../format.js';

export const CASE_STATES = ['review', 'rectifying', 'penalty', 'fined', 'referral', 'shut', 'awaiting-docs', 'warned',
  'probation', 'moving', 'criticism', 'warning', 'interruption', 'reporting', 'inspection', 'closed'];
export const CASE_KINDS = ['EN-RESALE', 'EN-RESALE-ILLEGAL', 'EN-FRAUD', 'EN-FRAUD-SERIOUS', 'EN-HARASS', 'EN-DOCS',
  'EN-AGENT-TERM', 'EN-NOSERVICE', 'EN-ILLEGAL-HOST', 'EN-COLLATERAL', 'EN-SECURITY', 'EN-INCIDENT', 'ASSOC-LIABLE'];
const LIMIT = 50;

// The case's subject as a link to its page, when the dashboard has one.
export function subjectLink(c) {
  const e = encodeURIComponent(c.subject);
  const href = { number: `#/numbers/${e}`, customer: `#/customers/${e}`, account: `#/customers/${e}`, agent: `#/agents/${e}` }[c.subjectKind];
  return href ? link(href, c.subject) : c.subject;
}

export function rulesText(c) {
  return Array.isArray(c.rules) ? c.rules.join(', ') : c.rules || '';
}

function select(name, value, options, allLabel) {
  return h('select', { name, dataset: { test: `filter-${name}` } },
    h('option', { value: '' }, allLabel),
    options.map(([v, text]) => h('option', { value: v, selected: v === value ? true : null }, text)));
}

export async function render(ctx) {
  const q = ctx.query;
  const offset = Math.max(0, Number(q.offset) || 0);
  const form = h('form.filters', { dataset: { test: 'case-filters' } },
    h('label', null, t('case.state'), select('state', q.state || '', ['open', ...CASE_STATES].map((s) => [s, label('state', s)]), t('all'))),
    h('label', null, t('case.kind'), select('kind', q.kind || '', CASE_KINDS.map((k) => [k, k]), t('all'))),
    h('label', null, t('case.agent'), h('input', { name: 'agent', value: q.agent || '', size: 12 })),
    h('label.check', null, h('input', { type: 'checkbox', name: 'overdue', checked: q.overdue === 'true' ? true : null }), t('case.overdueOnly')),
    h('button.btn.primary', { type: 'submit' }, t('filter')),
    h('a.btn', { href: '#/cases' }, t('reset')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    ctx.navigate({ state: f.get('state'), kind: f.get('kind'), agent: f.get('agent').trim(), overdue: f.get('overdue') ? 'true' : '' });
  });
  const params = { state: q.state, kind: q.kind, agent: q.agent, overdue: q.overdue === 'true' ? 'true' : null, offset, limit: LIMIT };
  return h('div.page', null,
    h('div.page-head', null, h('h1', null, t('cases.title'))),
    form,
    panel(null, async () => {
      const { data, total } = await api('/warden/v1/cases', { params });
      return [
        table([
          { label: t('case.id'), get: (c) => link(`#/cases/${encodeURIComponent(c.id)}`, c.id) },
          { label: t('case.kind'), get: (c) => [c.kind, rulesText(c) && rulesText(c) !== c.kind ? h('div.small', null, rulesText(c)) : null] },
          { label: t('case.subject'), get: (c) => [h('span.small', null, label('subjectKind', c.subjectKind), ' '), subjectLink(c)] },
          { label: t('case.account'), get: (c) => (c.account ? link(`#/customers/${encodeURIComponent(c.account)}`, c.account) : '—') },
          { label: t('case.agent'), get: (c) => (c.agent ? link(`#/agents/${encodeURIComponent(c.agent)}`, c.agent) : '—') },
          { label: t('case.state'), get: (c) => [badge('state', c.state), c.overdue ? h('span.badge.b-overdue', null, t('case.overdue')) : null] },
          { label: t('case.opened'), get: (c) => cst(c.opened) },
          { label: t('case.age'), get: (c) => duration(c.ageSeconds) },
          { label: t('case.deadline'), get: (c) => [cst(c.deadline), c.deadlineWhat ? h('div.small', null, c.deadlineWhat) : null] },
          { label: t('case.fine'), get: (c) => (c.fineFen ? yuan(c.fineFen) : '—'), cls: 'num' },
        ], data || [], { empty: t('cases.none'), rowAttrs: (c) => ({ class: c.overdue ? 'overdue' : null, dataset: { case: c.id } }) }),
        pager(total, offset, LIMIT, (o) => ctx.navigate({ ...q, offset: o || '' })),
      ];
    }, { test: 'case-list' }));
}
