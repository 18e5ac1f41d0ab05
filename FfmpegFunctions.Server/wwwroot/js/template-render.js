// Render one template: a field per placeholder; errors come back at /values/<name> (and where the value landed).
import { api } from './api.js';
import { busy, h, toast } from './ui.js';

/** What a typed value means: a number or boolean when it reads as one (so {{width}} can be 640), text otherwise. */
function typed(text) {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

const valuePointer = name => `/values/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function render(root, id) {
  const form = h('form', { class: 'spec-form', novalidate: true, onsubmit: e => e.preventDefault() });
  const summary = h('div', { class: 'alert alert-error', id: 'errors', hidden: true });
  const submit = h('button', { class: 'btn btn-primary', type: 'button', 'data-action': 'submit' }, 'Render');
  const heading = h('h1', {}, 'Template');
  root.append(h('div', { class: 'page-head' }, heading, h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/templates' }, 'All templates'))),
    summary, h('div', { class: 'card' }, form), h('div', { class: 'actions end' }, submit));

  const inputs = new Map();
  (async () => {
    try {
      const template = await api(`/api/templates/${id}`);
      heading.textContent = `${template.name} (version ${template.version})`;
      if (!template.placeholders.length) form.append(h('p', { class: 'muted' }, 'This template has no placeholders: it renders as it is.'));
      for (const name of template.placeholders) {
        const input = h('input', { type: 'text', name, 'data-placeholder': name });
        const error = h('div', { class: 'field-error', hidden: true });
        inputs.set(name, { input, error });
        form.append(h('label', { class: 'field' }, h('span', { class: 'mono' }, `{{${name}}}`), input, error));
      }
    } catch (e) {
      root.append(h('div', { class: 'alert alert-error' }, e.status === 404 ? 'No such template.' : e.message));
      submit.disabled = true;
    }
  })();

  submit.addEventListener('click', () => busy(submit, 'Rendering…', async () => {
    for (const { error } of inputs.values()) error.hidden = true;
    summary.hidden = true;
    const values = Object.fromEntries([...inputs].map(([name, { input }]) => [name, typed(input.value)]));
    try {
      const created = await api(`/api/templates/${id}/render`, { method: 'POST', body: { values } });
      toast('Composition queued.');
      location.hash = `#/c/${created.id}`;
    } catch (e) {
      const shown = new Set();
      for (const [name, { error }] of inputs) {
        const messages = e.errors?.[valuePointer(name)];
        if (messages) { error.textContent = messages.join(' '); error.hidden = false; shown.add(valuePointer(name)); }
      }
      const rest = Object.entries(e.errors ?? {}).filter(([p]) => !shown.has(p));
      summary.replaceChildren(h('strong', {}, e.title ?? 'The render was refused.'),
        rest.length ? h('ul', {}, rest.map(([p, m]) => h('li', {}, h('code', {}, p || '(body)'), ' ', m.join(' ')))) : h('p', {}, e.message));
      summary.hidden = false;
    }
  }));
}
