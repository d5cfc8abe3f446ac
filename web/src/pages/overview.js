// Overview: the day's findings by rule, cases open and overdue, fines outstanding, numbers frozen —
// GET /warden/v1/reports/daily?since=, /warden/v1/cases?overdue=true, /warden/v1/numbers/summary.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { panel, badge, label } from '../ui.js';
import { hbars, tiles } from '../charts.js';
import { yuan, count, todayCst, dayStartIso, cst, duration } from '../format.js';
import { subjectLink } from './cases.js';

function entries(obj) {
  return Object.entries(obj || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const REPORT_ROLES = new Set(['platform', 'auditor']);

export async function render(ctx) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.day || '') ? ctx.query.day : todayCst();
  const withReport = ctx.me && REPORT_ROLES.has(ctx.me.role);
  const picker = h('input', { type: 'date', value: day, dataset: { test: 'day' },
    onchange: (e) => ctx.navigate({ day: e.target.value }) });

  // The morning report is for platform and auditor tokens; a scoped token sees the counts of its
  // own cases and the fines of its own agents instead.
  const report = withReport ? api('/warden/v1/reports/daily', { params: { since: dayStartIso(day) } }).then((r) => r.data) : null;
  const total = (params) => api('/warden/v1/cases', { params: { ...params, limit: 1, fields: 'id' } }).then((r) => r.total);

  const head = h('div.page-head', null, h('h1', null, t('overview.title')),
    withReport ? h('label.inline', null, t('overview.since'), picker) : null);
  const tilePanel = panel(null, async () => {
    const [open, overdue] = await Promise.all([total({ state: 'open' }), total({ overdue: 'true' })]);
    const list = [];
    let r = null;
    if (withReport) {
      r = await report;
      list.push({ label: t('overview.findings'), value: count(Object.values(r.findingsByRule || {}).reduce((a, b) => a + b, 0)), test: 'tile-findings' });
    }
    list.push({ label: t('overview.open'), value: count(open), href: '#/cases?state=open', test: 'tile-open' });
    list.push({ label: t('overview.overdue'), value: count(overdue), href: '#/cases?overdue=true', cls: overdue ? 'warn' : null, test: 'tile-overdue' });
    if (r) {
      list.push(
        { label: t('overview.finesOutstanding'), value: yuan(r.finesOutstandingFen), cls: r.finesOutstandingFen ? 'warn' : null, test: 'tile-fines' },
        { label: t('overview.opened'), value: `${count(r.opened)} / ${count(r.closed)}` },
        { label: t('overview.finesIssued'), value: yuan(r.finesIssuedFen) },
        { label: t('overview.finesPaid'), value: yuan(r.finesPaidFen) },
        { label: t('overview.frozen'), value: `${count(r.numbersFrozen)} / ${count(r.numbersRecovered)}`, href: '#/numbers?resourceStatus=frozen' },
        { label: t('overview.complaints'), value: `${count(r.complaints)} / ${count(r.complaintsUnmatched)}` },
        { label: t('overview.age'), value: `${duration(r.ageMedianSeconds)} / ${duration(r.ageP90Seconds)}` });
    } else {
      const { data } = await api('/warden/v1/agents', { params: { limit: 1000, fields: 'finesOutstandingFen' } });
      const fen = (data || []).reduce((a, x) => a + (Number(x.finesOutstandingFen) || 0), 0);
      list.push({ label: t('overview.finesOutstanding'), value: yuan(fen), cls: fen ? 'warn' : null, test: 'tile-fines' });
    }
    return tiles(list);
  }, { test: 'tiles' });

  const charts = withReport ? h('div.cols', null,
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
    })) : h('p.small', null, t('overview.reportPlatform'));

  return h('div.page', null, head, tilePanel, charts,
    panel(t('overview.overdueList'), async () => {
      const { data, total: n } = await api('/warden/v1/cases', { params: { overdue: 'true', limit: 10 } });
      return [
        table([
          { label: t('case.id'), get: (c) => link(`#/cases/${encodeURIComponent(c.id)}`, c.id) },
          { label: t('case.kind'), get: (c) => c.kind },
          { label: t('case.subject'), get: (c) => subjectLink(c) },
          { label: t('case.agent'), get: (c) => (c.agent ? link(`#/agents/${encodeURIComponent(c.agent)}`, c.agent) : '—') },
          { label: t('case.state'), get: (c) => badge('state', c.state) },
          { label: t('case.deadline'), get: (c) => [cst(c.deadline), c.deadlineWhat ? h('div.small', null, c.deadlineWhat) : null] },
          { label: t('case.fine'), get: (c) => (c.fineFen ? yuan(c.fineFen) : '—'), cls: 'num' },
        ], data || [], { empty: t('overview.noOverdue') }),
        n > 10 ? h('p', null, link('#/cases?overdue=true', t('overview.allOverdue', { n: count(n) }))) : null,
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
