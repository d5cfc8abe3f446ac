// One agent: its role record (GET /tmf-api/partyRoleManagement/v4/partyRole/{id}), its customers
// (GET /warden/v1/agents/{id}/customers) and its cases (GET /warden/v1/cases?agent=).
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, facts, panel } from '../ui.js';
import { yuan, count } from '../format.js';
import { partyName } from './customer.js';
import { subjectLink } from './cases.js';

export async function render(ctx) {
  const id = ctx.params[0];
  return h('div.page', { dataset: { test: 'agent' } },
    h('div.page-head', null, h('h1', null, t('agent.title', { id })), h('a.btn', { href: '#/agents' }, '‹ ' + t('agents.title'))),
    h('div.cols', null,
      panel(t('agent.facts'), async () => {
        const { data: a } = await api(`/tmf-api/partyRoleManagement/v4/partyRole/${enc(id)}`);
        // its figures come from the ranking (there is no single-agent route for them)
        let st = null;
        if (a.role === 'agent') {
          try {
            const { data } = await api('/warden/v1/agents', { params: { sort: 'violations', limit: 1000 } });
            st = (data || []).find((x) => x.id === a.id) || null;
          } catch { /* the facts stand without the figures */ }
        }
        return facts([
          [t('agent.id'), a.id],
          [t('agent.name'), partyName(a)],
          [t('agent.role'), label('role', a.role || a.name)],
          [t('agent.status'), badge('astate', a.status)],
          [t('agent.parent'), a.parentId || (a.parent && a.parent.id) || '—'],
          st ? [t('agent.violations'), count(st.violations)] : null,
          st ? [t('agent.openCases'), count(st.openCases)] : null,
          st ? [t('agent.customers'), count(st.customers)] : null,
          st ? [t('agent.fines'), yuan(st.finesOutstandingFen)] : null,
        ]);
      }),
      panel(t('agent.casesTitle'), async () => {
        const { data, total } = await api('/warden/v1/cases', { params: { agent: id, limit: 20 } });
        return [
          table([
            { label: t('case.id'), get: (c) => link(`#/cases/${enc(c.id)}`, c.id) },
            { label: t('case.kind'), get: (c) => c.kind },
            { label: t('case.subject'), get: (c) => subjectLink(c) },
            { label: t('case.state'), get: (c) => badge('state', c.state) },
            { label: t('case.fine'), get: (c) => (c.fineFen ? yuan(c.fineFen) : '—'), cls: 'num' },
          ], data || [], { empty: t('cases.none') }),
          total > 20 ? link(`#/cases?agent=${enc(id)}`, t('agent.allCases', { n: total })) : null,
        ];
      })),
    panel(t('agent.customersTitle'), async () => {
      const { data } = await api(`/warden/v1/agents/${enc(id)}/customers`, { params: { limit: 1000 } });
      return table([
        { label: t('customer.id'), get: (c) => link(`#/customers/${enc(c.id)}`, c.id) },
        { label: t('customer.name'), get: (c) => partyName(c) },
        { label: t('customer.status'), get: (c) => badge('astate', c.status) },
        { label: t('nav.clusters'), get: (c) => link(`#/clusters/${enc(c.id)}`, t('customer.cluster')) },
      ], data || [], { empty: t('agent.noCustomers'), rowAttrs: (c) => ({ dataset: { customer: c.id } }) });
    }, { test: 'agent-customers' }));
}
