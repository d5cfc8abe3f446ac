// dom.js — building the page without innerHTML: every text from the server goes in as a text node.

// h('tag.class1.class2', {attr: value, onclick: fn, dataset: {...}}, ...children)
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className = (el.className ? el.className + ' ' : '') + v;
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A table: cols = [{label, get(row) -> node|text, cls}], rows = array.
export function table(cols, rows, { empty, rowAttrs } = {}) {
  return h('table.grid', null,
    h('thead', null, h('tr', null, cols.map((c) => h('th', { class: c.cls }, c.label)))),
    h('tbody', null,
      rows.length === 0
        ? h('tr', null, h('td.empty', { colspan: cols.length }, empty || ''))
        : rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : null, cols.map((c) => h('td', { class: c.cls }, c.get(r)))))));
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}
