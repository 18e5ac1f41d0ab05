// Media: the tenant's uploads (newest first, keyset-paged), uploading one, deleting one, and picking one as a source.
import { api, pickedSource, uploadFile } from './api.js';
import { badge, busy, bytes, h, progressBar, setProgress, timeAgo, toast } from './ui.js';

const PAGE_SIZE = 20;

export function render(root) {
  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', hidden: true, onclick: () => load(more.dataset.cursor) }, 'Load more');
  const empty = h('div', { class: 'empty', hidden: true }, h('p', {}, 'No uploads yet.'),
    h('p', { class: 'muted' }, 'Upload a video, audio file, image or .srt/.vtt captions file; it is checked before any composition uses it.'));
  const picker = h('input', { type: 'file', hidden: true, accept: 'video/*,audio/*,image/*,.srt,.vtt', 'data-action': 'file' });
  const bar = progressBar(0, 'upload progress');
  bar.hidden = true;
  const upload = h('button', { class: 'btn btn-primary', type: 'button', 'data-action': 'upload', onclick: () => picker.click() }, 'Upload a file');
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (!file) return;
    bar.hidden = false;
    busy(upload, 'Uploading…', async () => {
      try {
        await uploadFile(file, p => setProgress(bar, Math.round(p * 1000) / 10));
        toast(`${file.name} uploaded and checked.`);
      } catch (e) {
        toast(`${file.name}: ${e.message}`, 'error');
      } finally {
        picker.value = '';
        bar.hidden = true;
        reload();
      }
    });
  });

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Media'), h('div', { class: 'actions' }, bar, upload, picker)),
    h('div', { class: 'card table-card' },
      h('table', { class: 'list', id: 'media-list' },
        h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Type'), h('th', {}, 'Size'), h('th', {}, 'Status'),
          h('th', {}, 'Used by'), h('th', {}, 'Uploaded'), h('th', {}, ''))),
        tbody),
      empty),
    h('div', { class: 'center' }, more));

  function row(u) {
    const use = h('button', { class: 'btn btn-small', type: 'button', 'data-action': 'use', disabled: u.status === 'rejected',
      onclick: () => { pickedSource.set(u.key); location.hash = '#/new'; } }, 'Use as source');
    const remove = h('button', { class: 'btn btn-small btn-danger', type: 'button', 'data-action': 'delete' }, 'Delete');
    const tr = h('tr', { 'data-id': u.id },
      h('td', {}, h('div', { class: 'title' }, u.name), h('div', { class: 'mono muted small' }, u.key)),
      h('td', {}, u.type),
      h('td', {}, bytes(u.size)),
      h('td', {}, badge(u.status), u.rejection ? h('div', { class: 'small error-text', title: u.rejection }, u.rejection) : null),
      h('td', {}, `${u.usedBy} composition${u.usedBy === 1 ? '' : 's'}`),
      h('td', { title: new Date(u.createdAt).toLocaleString() }, timeAgo(u.createdAt)),
      h('td', { class: 'row-actions' }, use, remove));
    remove.addEventListener('click', () => {
      if (!confirm(`Delete ${u.name}? Its file is removed from storage.`)) return;
      busy(remove, 'Deleting…', async () => {
        try {
          await api(`/api/uploads/${u.id}`, { method: 'DELETE' });
          tr.remove();
          empty.hidden = tbody.children.length > 0;
          toast(`${u.name} deleted.`);
        } catch (e) {
          toast(e.status === 409 ? `${u.name} is in use: ${e.message}` : e.message, 'error');
        }
      });
    });
    return tr;
  }

  async function load(cursor) {
    try {
      const page = await api(`/api/uploads?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      tbody.append(...page.items.map(row));
      empty.hidden = tbody.children.length > 0;
      more.hidden = !page.nextCursor;
      more.dataset.cursor = page.nextCursor ?? '';
    } catch (e) {
      root.append(h('div', { class: 'alert alert-error' }, `Could not list uploads: ${e.message}`));
    }
  }

  function reload() {
    tbody.replaceChildren();
    load();
  }

  load();
}
