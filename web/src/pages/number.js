// One number: its facts, freeze / unfreeze with a reason (confirmed first), and its history —
// GET /tmf-api/resourceInventoryManagement/v4/resource/{n}, POST /warden/v1/numbers/{n}/freeze|unfreeze,
// GET /warden/v1/numbers/{n}/history.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, facts, panel, confirmDialog, errorBox, toast } from '../ui.js';
import { cst, yuan } from '../format.js';

export async function render(ctx) {
  const num = ctx.params[0];
  const { data: n } = await api(`/tmf-api/resourceInventoryManagement/v4/resource/${enc(num)}`);
  const msg = h('div.action-msg');
  const canWrite = ctx.me && ctx.me.role !== 'auditor';

  async function change(what) {
    const ok = await confirmDialog({
      title: t(`number.${what}Title`, { number: n.id }),
      message: t(`number.${what}Body`, { number: n.id }),
      input: { label: t('number.reason'), required: true, multiline: true },
      confirmLabel: t(`number.${what}`),
      danger: what === 'freeze',
    });
    if (!ok) return;
    try {
      await api(`/warden/v1/numbers/${enc(n.id)}/${what}`, { method: 'POST', body: { reason: ok.value } });
      toast(t(`number.${what}Done`, { number: n.id }));
      ctx.render();
    } catch (e) {
      msg.replaceChildren(errorBox(e));
    }
  }

  const buttons = [];
  if (canWrite && n.resourceStatus === 'active') {
    buttons.push(h('button.btn.danger', { type: 'button', dataset: { test: 'freeze' }, onclick: () => change('freeze') }, t('number.freeze')));
  }
  if (ctx.me && ctx.me.role === 'platform' && n.resourceStatus === 'frozen') {
    buttons.push(h('button.btn', { type: 'button', dataset: { test: 'unfreeze' }, onclick: () => change('unfreeze') }, t('number.unfreeze')));
  }


  return h('div.page', { dataset: { test: 'number' } },
    h('div.page-head', null,
      h('h1', null, t('number.title', { number: n.id }), ' ', badge('nstate', n.resourceStatus)),
      h('a.btn', { href: '#/numbers' }, '‹ ' + t('numbers.title'))),
    h('div.cols', null,
      h('section.panel', null, h('h2', null, t('number.facts')), facts([
        [t('number.state'), badge('nstate', n.resourceStatus)],
        [t('number.grade'), label('grade', n.grade)],
        [t('number.kind'), label('nkind', n.kind)],
        [t('number.province'), n.province],
        [t('number.account'), n.accountId ? link(`#/customers/${enc(n.accountId)}`, n.accountId) : '—'],
        [t('number.fee'), yuan(n.annualFeeFen)],
        [t('number.stateSince'), cst(n.stateSince)],
        [t('number.landing'), n.landing ? link(`#/numbers/${enc(n.landing)}`, n.landing) : '—'],
        [t('number.outbound'), n.outboundDisplay ? t('yes') : t('no')],
      ])),
      h('section.panel', { dataset: { test: 'number-actions' } }, h('h2', null, t('case.actions')),
        buttons.length ? h('div.actions', null, buttons) : h('p.empty', null, canWrite ? t('number.noActions') : t('number.readOnly')),
        canWrite && n.resourceStatus === 'frozen' && ctx.me.role !== 'platform' ? h('p.small', null, t('number.unfreezePlatform')) : null,
        msg)),
    panel(t('number.history'), async () => {
      const { data } = await api(`/warden/v1/numbers/${enc(n.id)}/history`);
      return table([
        { label: t('audit.at'), get: (e) => cst(e.at, { seconds: true }), cls: 'nowrap' },
        { label: t('audit.actor'), get: (e) => e.actor },
        { label: t('audit.action'), get: (e) => e.action },
        { label: t('audit.detail'), get: (e) => e.detail },
      ], data || [], { empty: t('nodata') });
    }, { test: 'history' }));
}
