// Associated accounts (ASSOC-KEYS): the cluster of one account drawn as a graph — accounts (circles)
// and the keys that link them (squares) — with the chains of shared keys to each associate.
// GET /warden/v1/clusters/{account}.
import { h, s, table, link } from '../dom.js';
import { t } from '../i18n.js';
import { api, enc } from '../api.js';
import { panel, label } from '../ui.js';

const MAX_DRAWN = 120;

export async function render(ctx) {
  const account = ctx.params[0] || '';
  const input = h('input', { name: 'account', value: account, size: 16, required: true, dataset: { test: 'cluster-account' } });
  const form = h('form.filters', null, h('label', null, t('clusters.account'), input),
    h('button.btn.primary', { type: 'submit' }, t('clusters.show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) location.hash = `#/clusters/${enc(input.value.trim())}`;
  });
  const page = h('div.page', null, h('div.page-head', null, h('h1', null, t('clusters.title'))), form,
    h('p.small', null, t('clusters.hint')));
  if (!account) return page;
  const cluster = api(`/warden/v1/clusters/${enc(account)}`).then((r) => r.data);
  cluster.catch(() => {}); // each panel shows the failure
  page.append(panel(t('clusters.picture', { account }), async () => {
    const data = await cluster;
    return [graph(data), legend()];
  }, { test: 'cluster' }));
  page.append(panel(t('clusters.members'), async () => {
    const data = await cluster;
    return [
      table([
        { label: t('clusters.member'), get: (m) => (m.entity ? m.account : link(`#/customers/${enc(m.account)}`, m.account)) },
        { label: t('clusters.kindCol'), get: (m) => (m.entity ? t('clusters.entity') : t('clusters.accountKind')) },
        { label: t('clusters.keys'), get: (m) => h('ul.keys', null, (m.keys || []).map((k) => h('li', null,
          h('span.small', null, label('keytype', k.type), ' '),
          h('code', null, k.value),
          ' ',
          k.links ? h('span.badge.b-links', null, t('clusters.linking', { n: k.count })) : h('span.badge', null, t('clusters.notLinking', { n: k.count }))))) },
      ], data.members || [], { empty: t('nodata') }),
      data.hiddenMembers ? h('p.small', { dataset: { test: 'hidden-members' } }, t('clusters.hidden', { n: data.hiddenMembers })) : null,
      h('h3', null, t('clusters.associates')),
      table([
        { label: t('clusters.associate'), get: (a) => link(`#/clusters/${enc(a.account)}`, a.account) },
        { label: t('clusters.chain'), get: (a) => h('ol.chain', null, (a.chain || []).map((c) => h('li', null,
          `${c.from} → ${c.to} `, h('code', null, c.via)))) },
      ], data.associates || [], { empty: t('clusters.noAssociates') }),
    ];
  }));
  return page;
}

function legend() {
  return h('div.legend', null,
    h('span', null, h('i.dot.acc'), t('clusters.legendAccount')),
    h('span', null, h('i.dot.self'), t('clusters.legendSelf')),
    h('span', null, h('i.dot.entity'), t('clusters.legendEntity')),
    h('span', null, h('i.dot.key'), t('clusters.legendKey')),
    h('span', null, h('i.dot.hub'), t('clusters.legendHub')));
}

// Nodes: every member (accounts; equity holders that are not accounts as entities), and every key
// (class and masked value: a legal representative's document and a holder's are one key) that two
// or more drawn members hold. A key held by more accounts than the hub cap links nothing: grey.
export function graph(data) {
  const members = (data.members || []).slice(0, MAX_DRAWN);
  const keyOwners = new Map();
  for (const m of members) {
    for (const k of m.keys || []) {
      const kid = `${k.class || k.type}:${k.value}`;
      if (!keyOwners.has(kid)) keyOwners.set(kid, { links: false, owners: new Set() });
      const e = keyOwners.get(kid);
      e.links = e.links || !!k.links;
      e.owners.add(m.account);
    }
  }
  const nodes = members.map((m) => ({ id: 'a:' + m.account, name: m.account,
    type: m.account === data.account ? 'self' : m.entity ? 'entity' : 'acc' }));
  const edges = [];
  for (const [kid, { links, owners }] of keyOwners) {
    if (owners.size < 2) continue;
    nodes.push({ id: 'k:' + kid, name: kid, type: links ? 'key' : 'hub' });
    for (const o of owners) edges.push(['a:' + o, 'k:' + kid]);
  }
  if (nodes.length === 0) return h('p.empty', null, t('nodata'));
  layout(nodes, edges);
  const W = 760, H = 460, pad = 40;
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const sx = (x) => pad + ((x - minX) / Math.max(1e-9, maxX - minX || 1)) * (W - 2 * pad);
  const sy = (y) => pad + ((y - minY) / Math.max(1e-9, maxY - minY || 1)) * (H - 2 * pad);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const svg = s('svg', { class: 'cluster', viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-test': 'cluster-svg' },
    edges.map(([a, b]) => s('line', { x1: sx(byId.get(a).x), y1: sy(byId.get(a).y), x2: sx(byId.get(b).x), y2: sy(byId.get(b).y), class: 'edge' })),
    nodes.map((n) => {
      const x = sx(n.x), y = sy(n.y);
      const shape = n.type === 'key' || n.type === 'hub'
        ? s('rect', { x: x - 6, y: y - 6, width: 12, height: 12, class: 'node ' + n.type })
        : n.type === 'entity'
          ? s('polygon', { points: `${x},${y - 9} ${x + 9},${y} ${x},${y + 9} ${x - 9},${y}`, class: 'node entity' })
          : s('circle', { cx: x, cy: y, r: n.type === 'self' ? 11 : 8, class: 'node ' + n.type });
      const g = s('g', { 'data-node': n.id }, s('title', null, n.name), shape,
        s('text', { x: x + 12, y: y + 4, class: 'nlabel ' + n.type }, n.name.length > 24 ? n.name.slice(0, 23) + '…' : n.name));
      if (n.type === 'acc') {
        const a = s('a', { href: `#/clusters/${enc(n.name)}` });
        a.append(g);
        return a;
      }
      return g;
    }));
  const more = (data.members || []).length > MAX_DRAWN ? h('p.small', null, t('clusters.truncated', { n: MAX_DRAWN })) : null;
  return [svg, more];
}

// A small deterministic force layout: nodes start on a circle, repel each other, edges pull.
function layout(nodes, edges) {
  const n = nodes.length;
  nodes.forEach((nd, i) => {
    const a = (2 * Math.PI * i) / n;
    nd.x = Math.cos(a) * 100;
    nd.y = Math.sin(a) * 100;
  });
  const idx = new Map(nodes.map((nd, i) => [nd.id, i]));
  const E = edges.map(([a, b]) => [idx.get(a), idx.get(b)]);
  const iters = n > 80 ? 120 : 250;
  for (let it = 0; it < iters; it++) {
    const cool = 1 - it / iters;
    const dx = new Float64Array(n), dy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y;
        const d2 = Math.max(1, ex * ex + ey * ey);
        const f = 2500 / d2;
        ex *= f; ey *= f;
        dx[i] += ex; dy[i] += ey; dx[j] -= ex; dy[j] -= ey;
      }
    }
    for (const [i, j] of E) {
      const ex = nodes[j].x - nodes[i].x, ey = nodes[j].y - nodes[i].y;
      const d = Math.sqrt(ex * ex + ey * ey) || 1;
      const f = (d - 40) * 0.05;
      dx[i] += (ex / d) * f * d / 10; dy[i] += (ey / d) * f * d / 10;
      dx[j] -= (ex / d) * f * d / 10; dy[j] -= (ey / d) * f * d / 10;
    }
    for (let i = 0; i < n; i++) {
      // a weak pull to the centre keeps separate pieces on the page
      dx[i] -= nodes[i].x * 0.01; dy[i] -= nodes[i].y * 0.01;
      const m = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(m, 10 * cool + 0.5);
      nodes[i].x += (dx[i] / m) * step;
      nodes[i].y += (dy[i] / m) * step;
    }
  }
}
