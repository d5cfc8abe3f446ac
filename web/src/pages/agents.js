// Agents: the ranking by violations — GET /warden/v1/agents?sort=violations.
import { h, s, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, panel, pager } from '../ui.js';
import { yuan, count } from '../format.js';

const LIMIT = 100;

export async function render(ctx) {
  const offset = Math.max(0, Number(ctx.query.offset) || 0);
  return h('div.page', null,
    h('div.page-head', null, h('h1', null, t('agents.title'))),
    panel(null, async () => {
      const { data, total } = await api('/warden/v1/agents', { params: { sort: 'violations', offset, limit: LIMIT } });
      const rows = data || [];
      const top = Math.max(1, ...rows.map((a) => a.violations || 0));
      return [
        table([
          { label: t('agents.rank'), get: (a) => String(offset + rows.indexOf(a) + 1), cls: 'num' },
          { label: t('agent.id'), get: (a) => link(`#/agents/${enc(a.id)}`, a.id) },
          { label: t('agent.parent'), get: (a) => a.parent || '—' },
          { label: t('agent.status'), get: (a) => badge('astate', a.status) },
          { label: t('agent.violations'), get: (a) => h('div.inline-bar', null,
            // an SVG bar: the server's Content-Security-Policy allows no inline style
            s('svg', { width: 80, height: 8, viewBox: '0 0 80 8' },
              s('rect', { width: Math.round(((a.violations || 0) / top) * 80), height: 8, rx: 2, class: 'bar' })),
            h('span', null, count(a.violations))) },
          { label: t('agent.openCases'), get: (a) => (a.openCases ? link(`#/cases?agent=${enc(a.id)}`, count(a.openCases)) : '0'), cls: 'num' },
          { label: t('agent.customers'), get: (a) => count(a.customers), cls: 'num' },
          { label: t('agent.fines'), get: (a) => yuan(a.finesOutstandingFen), cls: 'num' },
        ], rows, { empty: t('agents.none'), rowAttrs: (a) => ({ dataset: { agent: a.id } }) }),
        pager(total, offset, LIMIT, (o) => ctx.navigate({ offset: o || '' })),
      ];
    }, { test: 'agent-list' }));
}
