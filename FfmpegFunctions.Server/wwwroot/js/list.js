// Compositions, newest first, keyset-paged; running ones get a live progress bar.
import { api, apiKey, createSample } from './api.js';
import { TERMINAL, watch } from './live.js';
import { badge, busy, h, progressBar, setProgress, timeAgo, toast } from './ui.js';

const PAGE_SIZE = 20;

export function render(root) {
  const unwatchers = new Map();
  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', hidden: true, onclick: () => load(more.dataset.cursor) }, 'Load more');
  const empty = h('div', { class: 'empty', hidden: true },
    h('p', {}, 'No compositions yet.'),
    h('p', { class: 'muted' }, 'Try the sample: the server generates two short test clips and renders them with a transition and a caption.'));
  const sample = h('button', { class: 'btn btn-primary', type: 'button', 'data-action': 'sample' }, 'Try a sample');
  sample.addEventListener('click', () => busy(sample, 'Preparing sample…', async () => {
    try { location.hash = `#/c/${await createSample()}`; } catch (e) { toast(e.message, 'error'); }
  }));

  root.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Compositions'),
      h('div', { class: 'actions' }, sample, h('a', { class: 'btn', href: '#/new' }, 'New composition'))),
    h('div', { class: 'card table-card' },
      h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', {}, 'Status'), h('th', { class: 'w-progress' }, 'Progress'), h('th', {}, 'Created'))),
        tbody),
      empty),
    h('div', { class: 'center' }, more));

  function row(c) {
    const bar = progressBar(c.progress);
    const status = h('td', {}, badge(c.status));
    const progressCell = h('td', {}, TERMINAL.has(c.status) && c.status !== 'completed' ? h('span', { class: 'muted' }, '—') : bar);
    const tr = h('tr', { 'data-id': c.id },
      h('td', {}, h('a', { href: `#/c/${c.id}`, class: 'title' }, c.title || 'Untitled'), h('div', { class: 'mono muted small' }, c.id)),
      status, progressCell,
      h('td', { title: new Date(c.createdAt).toLocaleString() }, timeAgo(c.createdAt)));
    // The view's error is { message, pointer }; live events carry the message alone.
    if (c.error) status.append(h('div', { class: 'small error-text', title: c.error.message }, truncate(c.error.message, 80)));
    if (!TERMINAL.has(c.status)) {
      unwatchers.set(c.id, watch(c.id, u => {
        if (u.progress != null) setProgress(bar, u.progress);
        if (u.status && u.status !== status.firstChild.dataset.status) status.firstChild.replaceWith(badge(u.status));
        if (u.status && TERMINAL.has(u.status)) {
          if (u.status === 'completed') setProgress(bar, 100);
          if (u.status === 'failed' && u.error) status.append(h('div', { class: 'small error-text' }, truncate(u.error, 80)));
          unwatchers.get(c.id)?.();
          unwatchers.delete(c.id);
        }
      }));
    }
    return tr;
  }

  async function load(cursor) {
    try {
      const page = await api(`/api/compositions?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      tbody.append(...page.items.map(row));
      empty.hidden = tbody.children.length > 0;
      more.hidden = !page.nextCursor;
      more.dataset.cursor = page.nextCursor ?? '';
    } catch (e) {
      root.append(e.status === 401 ? keyInstruction() : h('div', { class: 'alert alert-error' }, `Could not list compositions: ${e.message}`));
    }
  }

  load();
  return () => { for (const stop of unwatchers.values()) stop(); };
}

// A missing or refused key is the one thing a first-time user must do: say what to do, not what failed.
function keyInstruction() {
  const field = document.getElementById('apikey');
  field?.focus();
  const text = apiKey.get()
    ? 'The API key in the field at the top was not accepted. Paste a valid key there (./run.sh prints the local one when it starts).'
    : 'This server needs an API key. Paste it into the API key field at the top (./run.sh prints the local one when it starts).';
  return h('div', { class: 'alert alert-info', id: 'key-instruction' }, text);
}

const truncate = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
