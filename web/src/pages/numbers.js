// Numbers: the inventory by state and grade (GET /warden/v1/numbers/summary) and the list
// (GET /tmf-api/resourceInventoryManagement/v4/resource?resourceStatus=&grade=&accountId=).
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, pager, panel } from '../ui.js';
import { hbars } from '../charts.js';
import { yuan, count } from '../format.js';

export const NUMBER_STATES = ['available', 'reserved', 'active', 'frozen', 'recovered', 'cancelled'];
export const GRADES = ['AAAAA', 'AAAA', 'ABCDE', 'AAA', 'ABCD', 'DCBA', 'AABB', 'ABAB', 'LUCKY', 'ORDINARY'];
const LIMIT = 50;

export async function render(ctx) {
  const q = ctx.query;
  const offset = Math.max(0, Number(q.offset) || 0);
  const form = h('form.filters', { dataset: { test: 'number-filters' } },
    h('label', null, t('number.state'), h('select', { name: 'resourceStatus', dataset: { test: 'filter-state' } },
      h('option', { value: '' }, t('all')),
      NUMBER_STATES.map((s) => h('option', { value: s, selected: s === q.resourceStatus ? true : null }, label('nstate', s))))),
    h('label', null, t('number.grade'), h('select', { name: 'grade' },
      h('option', { value: '' }, t('all')),
      GRADES.map((g) => h('option', { value: g, selected: g === q.grade ? true : null }, label('grade', g))))),
    h('label', null, t('number.account'), h('input', { name: 'accountId', value: q.accountId || '', size: 12 })),
    h('label', null, t('number.goto'), h('input', { name: 'number', size: 14, placeholder: '4006…', dataset: { test: 'goto-number' } })),
    h('button.btn.primary', { type: 'submit' }, t('filter')),
    h('a.btn', { href: '#/numbers' }, t('reset')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const n = String(f.get('number') || '').replace(/\s+/g, '');
    if (n) {
      location.hash = `#/numbers/${enc(n)}`;
      return;
    }
    ctx.navigate({ resourceStatus: f.get('resourceStatus'), grade: f.get('grade'), accountId: String(f.get('accountId')).trim() });
  });

  const summary = api('/warden/v1/numbers/summary').then((r) => r.data);
  const order = (list, obj) => [...list.filter((k) => k in (obj || {})), ...Object.keys(obj || {}).filter((k) => !list.includes(k))];
  return h('div.page', null,
    h('div.page-head', null, h('h1', null, t('numbers.title'))),
    h('div.cols', null,
      panel(t('numbers.byState'), async () => {
        const s = await summary;
        return hbars(order(NUMBER_STATES, s.byState).map((k) => ({ key: k, label: label('nstate', k), value: s.byState[k],
          href: `#/numbers?resourceStatus=${enc(k)}`, cls: k === 'frozen' ? 'fill-warn' : 'fill' })), { format: count, test: 'chart-nstate' });
      }, { test: 'by-state' }),
      panel(t('numbers.byGrade'), async () => {
        const s = await summary;
        return hbars(order(GRADES, s.byGrade).map((k) => ({ key: k, label: label('grade', k), value: s.byGrade[k],
          href: `#/numbers?grade=${enc(k)}` })), { format: count });
      })),
    form,
    panel(null, async () => {
      const { data, total } = await api('/tmf-api/resourceInventoryManagement/v4/resource',
        { params: { resourceStatus: q.resourceStatus, grade: q.grade, accountId: q.accountId, offset, limit: LIMIT } });
      return [
        table([
          { label: t('number.number'), get: (n) => link(`#/numbers/${enc(n.id)}`, n.id) },
          { label: t('number.state'), get: (n) => badge('nstate', n.resourceStatus) },
          { label: t('number.grade'), get: (n) => label('grade', n.grade) },
          { label: t('number.kind'), get: (n) => label('nkind', n.kind) },
          { label: t('number.province'), get: (n) => n.province || '—' },
          { label: t('number.account'), get: (n) => (n.accountId ? link(`#/customers/${enc(n.accountId)}`, n.accountId) : '—') },
          { label: t('number.fee'), get: (n) => yuan(n.annualFeeFen), cls: 'num' },
        ], data || [], { empty: t('numbers.none'), rowAttrs: (n) => ({ dataset: { number: n.id, state: n.resourceStatus } }) }),
        pager(total, offset, LIMIT, (o) => ctx.navigate({ ...q, offset: o || '' })),
      ];
    }, { test: 'number-list' }));
}
