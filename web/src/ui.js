// A few DOM helpers: h() builds elements, toast() shows a message, fmt helpers.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function mount(root, ...children) {
  root.replaceChildren(...children.flat(Infinity).filter(Boolean));
}

export function notice(kind, text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

let toastTimer;
export function toast(text, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = `toast ${kind} show`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = 'toast'; }, 6000);
}

export const name = (c) => [c?.firstName, c?.lastName].filter(Boolean).join(' ') || c?.phone || 'Unknown';
/** An instant for people: in the given IANA zone (a group's), else the browser's. */
export const when = (iso, timeZone) => (iso ? new Date(iso).toLocaleString([], timeZone
  ? { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }
  : { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** Text with its http(s) links clickable (agent instructions may contain links). */
export function linkify(text) {
  const out = [];
  let last = 0;
  for (const m of String(text).matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g)) {
    out.push(text.slice(last, m.index), h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer' }, m[0]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}
export const pct = (x) => `${Math.round((x || 0) * 1000) / 10}%`;
