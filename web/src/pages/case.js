// One case: its facts, the actions its state allows (each asks for confirmation), the timeline and
// the evidence — GET /warden/v1/cases/{id}, POST /warden/v1/cases/{id}/actions.
import { h, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { badge, label, facts, confirmDialog, errorBox, toast } from '../ui.js';
import { cst, yuan, duration } from '../format.js';
import { rulesText, subjectLink } from './cases.js';

// Actions that take an argument, and whether it is required.
const ARGS = { note: { key: 'action.arg.note', required: true, multiline: true },
  move: { key: 'action.arg.move', required: true } };
const DANGER = new Set(['terminate', 'escalate', 'dismiss', 'notice', 'remove', 'uphold']);

export async function render(ctx) {
  const id = ctx.params[0];
  const { data: c } = await api(`/warden/v1/cases/${enc(id)}`);
  const msg = h('div.action-msg');
  const mayAct = ctx.me && ctx.me.role === 'platform';
  const actions = (c.allowedActions || []).map((a) => h('button.btn', {
    type: 'button', class: DANGER.has(a) ? 'danger' : null, dataset: { action: a }, disabled: !mayAct,
    onclick: () => act(a),
  }, label('action', a)));

  async function act(action) {
    const spec = ARGS[action];
    const ok = await confirmDialog({
      title: t('case.confirmTitle', { action: label('action', action), id: c.id }),
      message: t('case.confirmBody', { action: label('action', action), kind: c.kind, subject: c.subject }),
      input: spec ? { label: t(spec.key), required: spec.required, multiline: spec.multiline } : null,
      confirmLabel: label('action', action),
      danger: DANGER.has(action),
    });
    if (!ok) return;
    try {
      await api(`/warden/v1/cases/${enc(c.id)}/actions`, { method: 'POST', body: { action, arg: ok.value || null } });
      toast(t('case.done', { action: label('action', action) }));
      ctx.render();
    } catch (e) {
      msg.replaceChildren(errorBox(e));
    }
  }

  return h('div.page', { dataset: { test: 'case' } },
    h('div.page-head', null,
      h('h1', null, t('case.title', { id: c.id }), ' ', badge('state', c.state), c.overdue ? h('span.badge.b-overdue', null, t('case.overdue')) : null),
      h('a.btn', { href: '#/cases' }, '‹ ' + t('cases.title'))),
    h('div.cols', null,
      h('section.panel', null, h('h2', null, t('case.facts')), facts([
        [t('case.kind'), c.kind],
        [t('case.rules'), rulesText(c)],
        [t('case.subject'), [label('subjectKind', c.subjectKind), ' ', subjectLink(c)]],
        [t('case.account'), c.account ? link(`#/customers/${enc(c.account)}`, c.account) : '—'],
        [t('case.agent'), c.agent ? link(`#/agents/${enc(c.agent)}`, c.agent) : '—'],
        [t('case.owner'), c.owner],
        [t('case.opened'), cst(c.opened)],
        [t('case.age'), duration(c.ageSeconds)],
        [t('case.deadline'), c.deadline ? `${cst(c.deadline)}${c.deadlineWhat ? ' — ' + c.deadlineWhat : ''}` : '—'],
        [t('case.fine'), c.fineFen ? yuan(c.fineFen) : '—'],
        [t('case.closed'), c.closed ? cst(c.closed) : '—'],
        [t('case.outcome'), label('outcome', c.outcome)],
        c.parentCase ? [t('case.parent'), link(`#/cases/${enc(c.parentCase)}`, String(c.parentCase))] : null,
        c.note ? [t('case.note'), c.note] : null,
      ])),
      h('section.panel', { dataset: { test: 'actions' } }, h('h2', null, t('case.actions')),
        actions.length ? h('div.actions', null, actions) : h('p.empty', null, t('case.noActions')),
        h('p.small', null, mayAct ? t('case.actionsHint') : t('case.platformOnly')),
        msg)),
    h('section.panel', { dataset: { test: 'timeline' } }, h('h2', null, t('case.timeline')),
      h('ol.timeline', null, (c.timeline || []).map((e) => h('li', null,
        h('time', null, cst(e.at, { seconds: true })),
        h('span.actor', null, e.actor || '—'),
        h('span.ev', null, label('event', e.kind)),
        e.state ? badge('state', e.state) : null,
        e.detail ? h('div.detail', null, e.detail) : null))),
      (c.timeline || []).length ? null : h('p.empty', null, t('nodata'))),
    h('section.panel', null, h('h2', null, t('case.evidence')),
      table([
        { label: t('evidence.kind'), get: (e) => e.kind },
        { label: t('evidence.ref'), get: (e) => e.ref },
        { label: t('evidence.detail'), get: (e) => (typeof e.detail === 'object' && e.detail !== null ? JSON.stringify(e.detail) : e.detail) },
        { label: t('evidence.added'), get: (e) => cst(e.added) },
      ], c.evidence || [], { empty: t('nodata') })));
}
