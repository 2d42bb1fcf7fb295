// A small element builder: h('td', { class: 'num', 'data-field': 'bytes' }, '1,024'). Attributes whose
// name starts with "on" become listeners; null and false children are skipped, arrays are flattened.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

// A table from a header row and body rows (arrays of cells: strings, nodes or td elements).
export function table(attrs, head, rows) {
  const cell = (tag, c) => (c instanceof HTMLElement && (c.tagName === 'TD' || c.tagName === 'TH') ? c : h(tag, {}, c));
  return h('table', attrs,
    h('thead', {}, h('tr', {}, head.map((c) => cell('th', c)))),
    h('tbody', {}, rows.map((r) => (r instanceof HTMLElement ? r : h('tr', {}, r.map((c) => cell('td', c)))))));
}
