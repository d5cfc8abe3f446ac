// Overview: the day's findings by rule, cases open and overdue, fines outstanding, numbers frozen —
// GET /warden/v1/reports/daily?since=, /warden/v1/cases?overdue=true, /warden/v1/numbers/summary.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { panel, badge, label } from '../ui.js';
import { hbars, tiles } from '../charts.js';
import { yuan, count, todayCst, dayStartIso, cst, duration } from '../format.js';

function entries(obj) {
  return Object.entries(obj || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export async function render(ctx) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.day || '') ? ctx.query.day : todayCst();
  const picker = h('input', { type: 'date', value: day, dataset: { test: 'day' },
    onchange: (e) => ctx.navigate({ day: e.target.value }) });

  const report = api('/warden/v1/reports/daily', { params: { since: dayStartIso(day) } }).then((r) => r.data);
  const openCases = api('/warden/v1/cases', { params: { limit: 1, fields: 'id' } }).then((r) => r.total);

  return h('div.page', null,
    h('div.page-head', null, h('h1', null, t('overview.title')),
      h('label.inline', null, t('overview.since'), picker)),
    panel(null, async () => {
      const r = await report;
      let open = null;
      try { open = await openCases; } catch { /* the tile shows — */ }
      const findings = Object.values(r.findingsByRule || {}).reduce((a, b) => a + b, 0);
      const openByState = entries(r.casesByState).filter(([k]) => k !== 'closed').reduce((a, [, v]) => a + v, 0);
      return tiles([
        { label: t('overview.findings'), value: count(findings), test: 'tile-findings' },
        { label: t('overview.open'), value: count(r.openCases ?? (open !== null ? open : openByState)), href: '#/cases', test: 'tile-open' },
        { label: t('overview.overdue'), value: count(r.overdue), href: '#/cases?overdue=true', cls: r.overdue ? 'warn' : null, test: 'tile-overdue' },
        { label: t('overview.finesOutstanding'), value: yuan(r.finesOutstandingFen), cls: r.finesOutstandingFen ? 'warn' : null, test: 'tile-fines' },
        { label: t('overview.finesIssued'), value: yuan(r.finesIssuedFen) },
        { label: t('overview.finesPaid'), value: yuan(r.finesPaidFen) },
        { label: t('overview.frozen'), value: count(r.numbersFrozen), href: '#/numbers?resourceStatus=frozen' },
        { label: t('overview.complaints'), value: `${count(r.complaints)} / ${count(r.complaintsUnmatched)}`, title: t('overview.complaintsHint') },
        { label: t('overview.age'), value: `${duration(r.ageMedianSeconds)} / ${duration(r.ageP90Seconds)}` },
      ]);
    }, { test: 'tiles' }),
    h('div.cols', null,
      panel(t('overview.byRule'), async () => {
        const r = await report;
        return hbars(entries(r.findingsByRule).map(([k, v]) => ({ key: k, label: k, value: v })), { format: count, test: 'chart-rules' });
      }),
      panel(t('overview.byState'), async () => {
        const r = await report;
        return hbars(entries(r.casesByState).map(([k, v]) => ({ key: k, label: label('state', k), value: v,
          href: `#/cases?state=${encodeURIComponent(k)}`, cls: k === 'closed' ? 'fill-muted' : 'fill' })), { format: count, test: 'chart-states' });
      }),
      panel(t('overview.byKind'), async () => {
        const r = await report;
        return hbars(entries(r.casesByKind).map(([k, v]) => ({ key: k, label: k, value: v,
          href: `#/cases?kind=${encodeURIComponent(k)}` })), { format: count });
      }),
      panel(t('overview.agents'), async () => {
        const r = await report;
        return hbars((r.agents || []).slice(0, 12).map((a) => ({ key: a.id, label: a.id, value: a.violations,
          href: `#/agents/${encodeURIComponent(a.id)}`, cls: 'fill-warn' })), { format: count });
      })),
    panel(t('overview.overdueList'), async () => {
      const { data, total } = await api('/warden/v1/cases', { params: { overdue: 'true', limit: 20 } });
      return [
        table([
          { label: t('case.id'), get: (c) => link(`#/cases/${encodeURIComponent(c.id)}`, c.id) },
          { label: t('case.kind'), get: (c) => c.kind },
          { label: t('case.subject'), get: (c) => c.subject },
          { label: t('case.state'), get: (c) => badge('state', c.state) },
          { label: t('case.deadline'), get: (c) => [cst(c.deadline), c.deadlineWhat ? h('div.small', null, c.deadlineWhat) : null] },
          { label: t('case.fine'), get: (c) => (c.fineFen ? yuan(c.fineFen) : '—'), cls: 'num' },
        ], data || [], { empty: t('overview.noOverdue') }),
        total > 20 ? h('p', null, link('#/cases?overdue=true', t('overview.allOverdue', { n: count(total) }))) : null,
      ];
    }),
    panel(t('overview.numbers'), async () => {
      const { data } = await api('/warden/v1/numbers/summary');
      return h('div.cols', null,
        hbars(entries(data.byState).map(([k, v]) => ({ key: k, label: label('nstate', k), value: v,
          href: `#/numbers?resourceStatus=${encodeURIComponent(k)}` })), { format: count }),
        hbars(entries(data.byGrade).map(([k, v]) => ({ key: k, label: label('grade', k), value: v,
          href: `#/numbers?grade=${encodeURIComponent(k)}` })), { format: count }));
    }));
}
