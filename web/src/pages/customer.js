// One customer: GET /tmf-api/customerManagement/v4/customer/{id}; its numbers
// (resource?accountId=), its agreements (agreement?accountId=). A reseller asking for another
// reseller's customer gets 404 (or 403): the page says it is outside the token's scope.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, facts, panel } from '../ui.js';
import { cst, yuan } from '../format.js';
import { subjectLink } from './cases.js';

export function partyName(x) {
  if (!x) return '—';
  if (x.name) return x.name;
  if (x.engagedParty && x.engagedParty.name) return x.engagedParty.name;
  const p = (x.relatedParty || []).find((r) => r.role === 'party' || /individual|organi[sz]ation/i.test(r['@referredType'] || ''));
  return (p && p.name) || '—';
}

export function relatedOf(x, roles) {
  const r = (x.relatedParty || []).find((p) => roles.includes(String(p.role || '').toLowerCase()));
  return r ? r.id : null;
}

export async function render(ctx) {
  const id = ctx.params[0];
  const { data: c } = await api(`/tmf-api/customerManagement/v4/customer/${enc(id)}`);
  const agent = c.agentId || relatedOf(c, ['agent']);
  return h('div.page', { dataset: { test: 'customer' } },
    h('div.page-head', null, h('h1', null, t('customer.title', { id: c.id }), ' ', badge('astate', c.status))),
    h('div.cols', null,
      h('section.panel', null, h('h2', null, t('customer.facts')), facts([
        [t('customer.id'), c.id],
        [t('customer.name'), partyName(c)],
        [t('customer.status'), badge('astate', c.status)],
        [t('customer.agent'), agent ? link(`#/agents/${enc(agent)}`, agent) : '—'],
        [t('nav.clusters'), link(`#/clusters/${enc(c.id)}`, t('customer.cluster'))],
      ]), h('h3', null, t('customer.related')), table([
        { label: t('customer.role'), get: (p) => label('role', p.role) },
        { label: t('customer.partyId'), get: (p) => p.id },
      ], c.relatedParty || [], { empty: t('nodata') })),
      panel(t('customer.numbers'), async () => {
        const { data } = await api('/tmf-api/resourceInventoryManagement/v4/resource', { params: { accountId: c.id, limit: 200 } });
        return table([
          { label: t('number.number'), get: (n) => link(`#/numbers/${enc(n.id)}`, n.id) },
          { label: t('number.state'), get: (n) => badge('nstate', n.resourceStatus) },
          { label: t('number.grade'), get: (n) => label('grade', n.grade) },
          { label: t('number.fee'), get: (n) => yuan(n.annualFeeFen), cls: 'num' },
        ], data || [], { empty: t('numbers.none') });
      })),
    panel(t('customer.cases'), async () => {
      // /warden/v1/cases filters by agent, not by account: the agent's cases, this customer's kept
      if (!agent) return h('p.empty', null, t('customer.noAgentCases'));
      const { data, total } = await api('/warden/v1/cases', { params: { agent, limit: 1000 } });
      const mine = (data || []).filter((x) => x.account === c.id || x.subject === c.id);
      return [
        table([
          { label: t('case.id'), get: (x) => link(`#/cases/${enc(x.id)}`, x.id) },
          { label: t('case.kind'), get: (x) => x.kind },
          { label: t('case.subject'), get: (x) => subjectLink(x) },
          { label: t('case.state'), get: (x) => [badge('state', x.state), x.overdue ? h('span.badge.b-overdue', null, t('case.overdue')) : null] },
          { label: t('case.opened'), get: (x) => cst(x.opened), cls: 'nowrap' },
          { label: t('case.fine'), get: (x) => (x.fineFen ? yuan(x.fineFen) : '—'), cls: 'num' },
        ], mine, { empty: t('cases.none') }),
        total > 1000 ? h('p.small', null, t('customer.casesPartial')) : null,
      ];
    }, { test: 'customer-cases' }),
    panel(t('customer.agreements'), async () => {
      const { data } = await api('/tmf-api/agreementManagement/v4/agreement', { params: { accountId: c.id, limit: 200 } });
      return table([
        { label: t('agreement.id'), get: (a) => a.id },
        { label: t('agreement.status'), get: (a) => label('cstate', a.status) },
        { label: t('agreement.start'), get: (a) => a.startDate || cst(a.agreementPeriod && a.agreementPeriod.startDateTime) },
        { label: t('agreement.end'), get: (a) => a.endDate || cst(a.agreementPeriod && a.agreementPeriod.endDateTime) },
        { label: t('agreement.fee'), get: (a) => yuan(a.annualFeeFen), cls: 'num' },
        { label: t('agreement.autoRenew'), get: (a) => (a.autoRenew ? t('yes') : t('no')) },
      ], data || [], { empty: t('nodata') });
    }));
}
