// Templates: the tenant's stored templates (newest first, keyset-paged), each with its placeholders; render or delete one.
import { api } from './api.js';
import { busy, h, timeAgo, toast } from './ui.js';

const PAGE_SIZE = 20;

export function render(root) {
  const tbody = h('tbody');
  const more = h('button', { class: 'btn', type: 'button', hidden: true, onclick: () => load(more.dataset.cursor) }, 'Load more');
  const empty = h('div', { class: 'empty', hidden: true }, h('p', {}, 'No templates yet.'),
    h('p', { class: 'muted' }, 'POST /api/templates stores a composition whose strings hold {{placeholders}}; it is listed here to render with values.'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Templates')),
    h('div', { class: 'card table-card' },
      h('table', { class: 'list', id: 'template-list' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Placeholders'), h('th', {}, 'Version'), h('th', {}, 'Updated'), h('th', {}, ''))),
        tbody),
      empty),
    h('div', { class: 'center' }, more));

  function row(t) {
    const remove = h('button', { class: 'btn btn-small btn-danger', type: 'button', 'data-action': 'delete' }, 'Delete');
    const tr = h('tr', { 'data-id': t.id },
      h('td', {}, h('a', { class: 'title', href: `#/t/${t.id}` }, t.name), h('div', { class: 'mono muted small' }, t.id)),
      h('td', { class: 'mono small' }, t.placeholders.length ? t.placeholders.map(p => `{{${p}}}`).join(' ') : '—'),
      h('td', {}, String(t.latestVersion)),
      h('td', { title: new Date(t.updatedAt).toLocaleString() }, timeAgo(t.updatedAt)),
      h('td', { class: 'row-actions' }, h('a', { class: 'btn btn-small', href: `#/t/${t.id}`, 'data-action': 'render' }, 'Render'), remove));
    remove.addEventListener('click', () => {
      if (!confirm(`Delete the template "${t.name}" and all its versions? Compositions made from it keep their spec.`)) return;
      busy(remove, 'Deleting…', async () => {
        try {
          await api(`/api/templates/${t.id}`, { method: 'DELETE' });
          tr.remove();
          empty.hidden = tbody.children.length > 0;
          toast(`Template "${t.name}" deleted.`);
        } catch (e) {
          toast(e.message, 'error');
        }
      });
    });
    return tr;
  }

  async function load(cursor) {
    try {
      const page = await api(`/api/templates?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      tbody.append(...page.items.map(row));
      empty.hidden = tbody.children.length > 0;
      more.hidden = !page.nextCursor;
      more.dataset.cursor = page.nextCursor ?? '';
    } catch (e) {
      root.append(h('div', { class: 'alert alert-error' }, `Could not list templates: ${e.message}`));
    }
  }

  load();
}
