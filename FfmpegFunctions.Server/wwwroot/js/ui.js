// Small DOM helpers: no framework, just enough to build views safely (text is never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function badge(status) {
  return h('span', { class: `badge badge-${status}`, 'data-status': status }, status);
}

/** A progress bar; update it with setProgress. data-value carries the number for tests and styling. */
export function progressBar(value = 0, label = '') {
  const fill = h('div', { class: 'bar-fill' });
  const text = h('span', { class: 'bar-text' });
  const bar = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': label || 'progress' }, fill, text);
  setProgress(bar, value);
  return bar;
}

export function setProgress(bar, value) {
  const v = Math.max(0, Math.min(100, Number(value) || 0));
  bar.dataset.value = String(v);
  bar.setAttribute('aria-valuenow', String(v));
  bar.querySelector('.bar-fill').style.width = `${v}%`;
  bar.querySelector('.bar-text').textContent = `${v.toFixed(v % 1 ? 1 : 0)}%`;
}

export function timeAgo(iso) {
  if (!iso) return '';
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export const clock = iso => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');

export function seconds(value) {
  if (value == null) return '';
  return value < 60 ? `${value.toFixed(value < 10 ? 2 : 1)} s` : `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
}

export function bytes(n) {
  if (n == null) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

let toastTimer;
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast toast-${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 5000);
}

/** Runs an async action from a button: disables it and shows a busy label meanwhile. */
export async function busy(button, label, action) {
  const old = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try { return await action(); } finally { button.disabled = false; button.textContent = old; }
}
