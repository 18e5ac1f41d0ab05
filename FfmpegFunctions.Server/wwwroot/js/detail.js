// One composition: live status and progress, step timeline, the player when done, cancel/delete.
import { api } from './api.js';
import { TERMINAL, watch } from './live.js';
import { badge, busy, bytes, clock, h, progressBar, seconds, setProgress, timeAgo, toast } from './ui.js';

export function render(root, id) {
  let unwatch = null;
  let lastStep = null;
  let shownStatus = null;

  const title = h('h1', {}, 'Composition');
  const badgeSlot = h('span', { id: 'status' });
  const bar = progressBar(0, 'render progress');
  bar.id = 'progress';
  const stepText = h('span', { class: 'muted', id: 'step' });
  const errorBox = h('div', { class: 'alert alert-error', id: 'error', hidden: true });
  const output = h('div', { id: 'output' });
  const steps = h('ol', { class: 'timeline', id: 'steps' });
  const spec = h('pre', { class: 'code', id: 'spec' });
  const meta = h('dl', { class: 'meta' });
  const cancel = h('button', { class: 'btn', type: 'button', hidden: true, 'data-action': 'cancel' }, 'Cancel');
  const remove = h('button', { class: 'btn btn-danger', type: 'button', 'data-action': 'delete' }, 'Delete');

  cancel.addEventListener('click', () => busy(cancel, 'Cancelling…', async () => {
    try { await api(`/api/compositions/${id}/cancel`, { method: 'POST' }); await refresh(); } catch (e) { toast(e.message, 'error'); }
  }));
  remove.addEventListener('click', () => {
    if (!confirm('Delete this composition and its output?')) return;
    busy(remove, 'Deleting…', async () => {
      try { await api(`/api/compositions/${id}`, { method: 'DELETE' }); toast('Deleted.'); location.hash = '#/'; } catch (e) { toast(e.message, 'error'); }
    });
  });

  root.append(
    h('div', { class: 'page-head' },
      h('div', {}, h('a', { href: '#/', class: 'muted small' }, '← Compositions'), h('div', { class: 'title-row' }, title, badgeSlot),
        h('div', { class: 'mono muted small' }, id)),
      h('div', { class: 'actions' }, cancel, remove)),
    h('section', { class: 'card' }, h('div', { class: 'progress-row' }, bar, stepText), errorBox, meta),
    output,
    h('div', { class: 'grid-2' },
      h('section', { class: 'card' }, h('h2', {}, 'Steps'), steps),
      h('section', { class: 'card' }, h('h2', {}, 'Spec'), spec)));

  function show(state) {
    if (state.title !== undefined) title.textContent = state.title || 'Untitled';
    if (state.status && state.status !== shownStatus) {
      shownStatus = state.status;
      badgeSlot.replaceChildren(badge(state.status));
      cancel.hidden = TERMINAL.has(state.status);
      if (state.status === 'completed') { setProgress(bar, 100); showOutput(); }
      if (state.status === 'expired') output.replaceChildren(h('div', { class: 'alert alert-info', id: 'expired' },
        'This output has expired: it was deleted after the retention period (Storage:OutputRetention). Create the composition again to render it anew.'));
    }
    if (state.progress != null) setProgress(bar, state.progress);
    const step = state.step ?? state.currentStep;
    if (step) {
      stepText.textContent = step;
      if (step !== lastStep) { lastStep = step; loadSteps(); }
    }
    // The view's error is { message, pointer }; a live 'failed' event carries the message alone.
    const error = typeof state.error === 'string' ? state.error : state.error?.message;
    if (error) { errorBox.hidden = false; errorBox.replaceChildren(h('strong', {}, 'The render failed. '), readable(error)); }
    if (state.status && TERMINAL.has(state.status)) loadSteps();
  }

  async function refresh() {
    const view = await api(`/api/compositions/${id}`);
    show(view);
    meta.replaceChildren(
      ...pair('Created', `${new Date(view.createdAt).toLocaleString()} (${timeAgo(view.createdAt)})`),
      ...pair('Priority', view.priority),
      ...pair('Attempts', String(view.attempts)),
      ...(view.completedAt ? pair('Finished', new Date(view.completedAt).toLocaleString()) : []),
      ...(view.output ? pair('Output', `${view.output.width}×${view.output.height}, ${seconds(view.output.duration)}, ${bytes(view.output.sizeBytes)}`) : []));
    if (view.spec) spec.textContent = JSON.stringify(view.spec, null, 2);
    return view;
  }

  let outputShown = false;
  async function showOutput() {
    if (outputShown) return;
    outputShown = true;
    try {
      const links = await api(`/api/compositions/${id}/download`);
      const video = h('video', { controls: true, preload: 'metadata', src: links.url, poster: links.thumbnailUrl ?? undefined, id: 'player' });
      output.replaceChildren(h('section', { class: 'card output' },
        h('div', { class: 'output-head' }, h('h2', {}, 'Output'),
          h('div', { class: 'actions' },
            links.thumbnailUrl ? h('a', { class: 'btn', href: links.thumbnailUrl, target: '_blank', rel: 'noopener' }, 'Thumbnail') : null,
            h('a', { class: 'btn btn-primary', href: links.url, download: '', id: 'download' }, 'Download'))),
        video,
        h('p', { class: 'muted small' }, `Links expire ${new Date(links.expiresAt).toLocaleString()}.`)));
      refresh();
    } catch (e) {
      outputShown = false;
      output.replaceChildren(h('div', { class: 'alert alert-error' }, `Could not get the download links: ${e.message}`));
    }
  }

  async function loadSteps() {
    try {
      const list = await api(`/api/compositions/${id}/steps`);
      if (!list.length) { steps.replaceChildren(h('li', { class: 'muted' }, 'No step has finished yet.')); return; }
      const t0 = new Date(list[0].startedAt).getTime();
      const span = Math.max(1, ...list.map(s => new Date(s.completedAt).getTime() - t0));
      steps.replaceChildren(...list.map(s => {
        const start = new Date(s.startedAt).getTime() - t0;
        const length = new Date(s.completedAt).getTime() - new Date(s.startedAt).getTime();
        return h('li', {},
          h('div', { class: 'step-head' }, h('strong', {}, s.step), h('span', { class: 'muted small' },
            `${clock(s.startedAt)} · ${seconds(length / 1000)}${s.attempt > 1 ? ` · attempt ${s.attempt}` : ''}`)),
          h('div', { class: 'step-track' }, h('div', { class: 'step-span', style: `left:${(start / span) * 100}%;width:${Math.max(1, (length / span) * 100)}%` })));
      }));
    } catch { /* the timeline is a nicety; the status above is what matters */ }
  }

  refresh().then(() => { unwatch = watch(id, show); }).catch(e => {
    root.replaceChildren(h('div', { class: 'alert alert-error' }, e.status === 404 ? 'There is no such composition.' : e.message));
  });
  return () => unwatch?.();
}

function pair(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

// ffmpeg errors arrive as one long line; break at " ... " so the cause and the consequence read apart.
function readable(error) {
  const parts = String(error).split(' ... ');
  return parts.length === 1 ? error : h('span', {}, parts[0], h('br'), h('span', { class: 'muted' }, parts.slice(1).join(' … ')));
}
