// charts.js — small SVG charts drawn here (no chart library to pin): horizontal bars, readable at a
// glance and exact on hover (each bar has a <title>).
import { s, h } from './dom.js';
import { t } from './i18n.js';

// items: [{key, label, value, href?}]. format(value) -> text.
export function hbars(items, { format = String, max, width = 520, row = 22, labelWidth = 150, test } = {}) {
  if (!items.length) return h('div.empty', null, t('nodata'));
  const top = max || Math.max(1, ...items.map((i) => Number(i.value) || 0));
  const valueWidth = 90;
  const barSpace = width - labelWidth - valueWidth;
  const height = items.length * row + 4;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'data-test': test || null });
  items.forEach((it, i) => {
    const y = i * row + 2;
    const v = Number(it.value) || 0;
    const w = v > 0 ? Math.max(2, (v / top) * barSpace) : 0;
    const g = s('g', { class: 'bar', 'data-key': it.key ?? it.label },
      s('title', null, `${it.label}: ${format(it.value)}`),
      s('text', { x: labelWidth - 6, y: y + row * 0.68, 'text-anchor': 'end', class: 'lbl' }, truncate(String(it.label), 22)),
      s('rect', { x: labelWidth, y: y + 3, width: w, height: row - 8, rx: 2, class: it.cls || 'fill' }),
      s('text', { x: labelWidth + w + 5, y: y + row * 0.68, class: 'val' }, format(it.value)));
    if (it.href) {
      const a = s('a', { href: it.href });
      a.append(g);
      svg.append(a);
    } else svg.append(g);
  });
  return svg;
}

function truncate(str, n) {
  return str.length > n ? str.slice(0, n - 1) + '…' : str;
}

// Big numbers in a row of tiles: [{label, value, cls, href, test}].
export function tiles(list) {
  return h('div.tiles', null, list.map((x) => {
    const inner = [h('div.tile-value', null, x.value), h('div.tile-label', null, x.label)];
    return x.href
      ? h('a.tile', { href: x.href, class: x.cls, dataset: x.test ? { test: x.test } : null }, inner)
      : h('div.tile', { class: x.cls, dataset: x.test ? { test: x.test } : null }, inner);
  }));
}
