// New composition: a form and a JSON editor over one spec object; API errors shown at their JSON pointer.
import { api, pickedSource, uploadFile } from './api.js';
import { TRANSITIONS } from './transitions.js';
import { busy, h, progressBar, setProgress, toast } from './ui.js';

const POSITIONS = ['top-left', 'top', 'top-right', 'left', 'center', 'right', 'bottom-left', 'bottom', 'bottom-right'];
const PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

const blankSpec = () => ({
  title: '',
  output: { width: 1280, height: 720, fps: 30, format: 'mp4', preset: 'veryfast' },
  clips: [{ source: '' }],
  overlays: [],
});

// JSON pointer helpers (RFC 6901).
const tokens = pointer => pointer.split('/').slice(1).map(t => t.replace(/~1/g, '/').replace(/~0/g, '~'));
function getAt(obj, pointer) {
  return tokens(pointer).reduce((o, t) => (o == null ? undefined : o[t]), obj);
}
function setAt(obj, pointer, value) {
  const path = tokens(pointer);
  const chain = [obj];
  let o = obj;
  for (const t of path.slice(0, -1)) {
    if (o[t] == null || typeof o[t] !== 'object') { if (value === undefined) return; o[t] = {}; }
    o = o[t];
    chain.push(o);
  }
  const last = path.at(-1);
  if (value === undefined) {
    delete o[last];
    // Drop objects emptied by the removal (an empty trim or transition), never arrays or the root.
    for (let i = chain.length - 1; i > 0; i--) {
      if (Array.isArray(chain[i]) || Object.keys(chain[i]).length) break;
      delete chain[i - 1][path[i - 1]];
    }
  } else {
    o[last] = value;
  }
}

export function render(root) {
  let spec = blankSpec();
  // Arriving from the media page's "Use as source": the picked upload becomes the first clip.
  const picked = pickedSource.take();
  if (picked) spec.clips[0].source = picked;
  let mode = 'form';
  let lastErrors = {};

  const form = h('form', { class: 'spec-form', novalidate: true, onsubmit: e => e.preventDefault() });
  const json = h('textarea', { class: 'code json-editor', id: 'spec-json', spellcheck: false, rows: 28, 'aria-label': 'Composition JSON' });
  const jsonErrors = h('ul', { class: 'json-errors', id: 'json-errors' });
  const jsonPane = h('div', { hidden: true }, json, jsonErrors);
  const summary = h('div', { class: 'alert alert-error', id: 'errors', hidden: true });
  const submit = h('button', { class: 'btn btn-primary', type: 'button', 'data-action': 'submit' }, 'Create composition');
  const tabForm = h('button', { class: 'tab active', type: 'button', role: 'tab', onclick: () => switchTo('form') }, 'Form');
  const tabJson = h('button', { class: 'tab', type: 'button', role: 'tab', onclick: () => switchTo('json') }, 'JSON');
  const sample = h('button', { class: 'btn', type: 'button' }, 'Load the sample');

  sample.addEventListener('click', () => busy(sample, 'Preparing…', async () => {
    try { spec = await api('/api/samples', { method: 'POST' }); lastErrors = {}; refreshAll(); } catch (e) { toast(e.message, 'error'); }
  }));
  json.addEventListener('input', () => {
    try { spec = JSON.parse(json.value); json.classList.remove('invalid'); } catch { json.classList.add('invalid'); }
  });
  submit.addEventListener('click', () => busy(submit, 'Creating…', async () => {
    const body = mode === 'json' ? json.value : JSON.stringify(prune(spec));
    try {
      const created = await api('/api/compositions', { method: 'POST', body });
      toast('Composition queued.');
      location.hash = `#/c/${created.id}`;
    } catch (e) {
      lastErrors = e.errors ?? {};
      showErrors(e);
    }
  }));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'New composition'), h('div', { class: 'actions' }, sample)),
    h('div', { class: 'tabs', role: 'tablist' }, tabForm, tabJson),
    summary,
    h('div', { class: 'card' }, form, jsonPane),
    h('div', { class: 'actions end' }, submit));

  function switchTo(next) {
    if (next === mode) return;
    if (next === 'form') {
      try { spec = JSON.parse(json.value); } catch (e) { toast(`Fix the JSON first: ${e.message}`, 'error'); return; }
    }
    mode = next;
    tabForm.classList.toggle('active', mode === 'form');
    tabJson.classList.toggle('active', mode === 'json');
    form.hidden = mode !== 'form';
    jsonPane.hidden = mode !== 'json';
    refreshAll();
  }

  function refreshAll() {
    if (mode === 'form') renderForm(); else json.value = JSON.stringify(spec, null, 2);
    applyErrors();
  }

  function changed() {
    json.value = JSON.stringify(spec, null, 2);
  }

  // ---- fields -------------------------------------------------------------------------------
  function field(label, pointer, kind = 'text', opts = {}) {
    const value = getAt(spec, pointer);
    let input;
    if (kind === 'select') {
      input = h('select', {}, (opts.options ?? []).map(o => {
        const [v, text] = Array.isArray(o) ? o : [o, o];
        return h('option', { value: v, selected: String(value ?? opts.empty ?? '') === v }, text);
      }));
    } else if (kind === 'checkbox') {
      input = h('input', { type: 'checkbox', checked: Boolean(value) });
    } else if (kind === 'textarea') {
      input = h('textarea', { rows: 2 }, value ?? '');
    } else {
      input = h('input', { type: kind === 'text' ? 'text' : 'number', value: value ?? '', placeholder: opts.placeholder ?? '', step: opts.step ?? (kind === 'int' ? '1' : 'any') });
    }
    input.dataset.pointer = pointer;
    input.addEventListener(kind === 'select' || kind === 'checkbox' ? 'change' : 'input', () => {
      let v;
      if (kind === 'checkbox') v = input.checked || undefined;
      else if (input.value === '') v = undefined;
      else if (kind === 'number' || kind === 'int') v = Number(input.value);
      else v = input.value;
      if (opts.onValue) opts.onValue(v); else setAt(spec, pointer, v);
      changed();
      clearError(pointer);
      if (opts.rerender) renderForm();
    });
    const wrap = h('label', { class: `field field-${kind}`, 'data-field': pointer },
      h('span', { class: 'field-label' }, label), input, h('span', { class: 'field-error', 'data-error-for': pointer }));
    if (opts.wide) wrap.classList.add('wide');
    return wrap;
  }

  function sourceField(label, pointer, accept) {
    const f = field(label, pointer, 'text', { placeholder: 'inputs/<upload id>/file.mp4 or an upload id' });
    const input = f.querySelector('input');
    const bar = progressBar(0, 'upload progress');
    bar.hidden = true;
    const picker = h('input', { type: 'file', accept, hidden: true });
    const button = h('button', { class: 'btn btn-small', type: 'button', onclick: () => picker.click() }, 'Upload…');
    picker.addEventListener('change', async () => {
      const file = picker.files[0];
      if (!file) return;
      bar.hidden = false;
      setProgress(bar, 0);
      button.disabled = true;
      try {
        const key = await uploadFile(file, p => setProgress(bar, Math.round(p * 1000) / 10));
        setProgress(bar, 100);
        input.value = key;
        input.dispatchEvent(new Event('input'));
        toast(`Uploaded ${file.name}.`);
      } catch (e) {
        toast(`Upload failed: ${e.message}`, 'error');
      } finally {
        button.disabled = false;
        setTimeout(() => (bar.hidden = true), 1500);
      }
    });
    f.classList.add('wide');
    f.insertBefore(h('span', { class: 'source-row' }, input, button, picker), f.querySelector('.field-error'));
    f.insertBefore(bar, f.querySelector('.field-error'));
    return f;
  }

  function section(title, pointer, ...children) {
    return h('fieldset', { class: 'section', 'data-field': pointer }, h('legend', {}, title),
      h('span', { class: 'field-error', 'data-error-for': pointer }), ...children);
  }

  function move(list, i, j) {
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j], list[i]];
    changed();
    renderForm();
  }

  function itemCard(title, pointer, list, i, ...children) {
    return h('div', { class: 'item', 'data-field': pointer },
      h('div', { class: 'item-head' }, h('strong', {}, title),
        h('span', { class: 'item-tools' },
          h('button', { class: 'icon', type: 'button', title: 'Move up', disabled: i === 0, onclick: () => move(list, i, i - 1) }, '↑'),
          h('button', { class: 'icon', type: 'button', title: 'Move down', disabled: i === list.length - 1, onclick: () => move(list, i, i + 1) }, '↓'),
          h('button', { class: 'icon danger', type: 'button', title: 'Remove', onclick: () => { list.splice(i, 1); changed(); renderForm(); } }, '✕'))),
      h('span', { class: 'field-error', 'data-error-for': pointer }),
      h('div', { class: 'grid' }, ...children));
  }

  function renderForm() {
    spec.clips ??= [];
    spec.overlays ??= [];
    const clips = spec.clips.map((clip, i) => {
      const p = `/clips/${i}`;
      const last = i === spec.clips.length - 1;
      return itemCard(`Clip ${i + 1}`, p, spec.clips, i,
        sourceField('Source', `${p}/source`, 'video/*,image/*'),
        field('Trim start (s)', `${p}/trim/start`, 'number', { placeholder: '0' }),
        field('Trim end (s)', `${p}/trim/end`, 'number', { placeholder: 'end of source' }),
        field('Duration (s)', `${p}/duration`, 'number', { placeholder: 'auto' }),
        field('Fit', `${p}/fit`, 'select', { options: ['contain', 'cover', 'blur'], empty: 'contain' }),
        field('Volume', `${p}/volume`, 'number', { placeholder: '1', step: '0.1' }),
        field('Mute', `${p}/mute`, 'checkbox'),
        last ? null : field('Transition to next', `${p}/transition/type`, 'select', {
          options: [['', 'none (cut)'], ...TRANSITIONS.map(t => [t, t])],
          rerender: true,
          onValue: v => (v ? setAt(spec, `${p}/transition/type`, v) : setAt(spec, `${p}/transition`, undefined)),
        }),
        last || !clip.transition ? null : field('Transition (s)', `${p}/transition/duration`, 'number', { placeholder: '0.5', step: '0.1' }));
    });
    const overlays = spec.overlays.map((o, i) => {
      const p = `/overlays/${i}`;
      const typeField = field('Type', `${p}/type`, 'select', {
        options: ['text', 'image'], rerender: true,
        onValue: v => { spec.overlays[i] = { type: v, position: o.position, start: o.start, end: o.end }; },
      });
      const specific = o.type === 'image'
        ? [sourceField('Image', `${p}/source`, 'image/*'), field('Width (px)', `${p}/width`, 'int'), field('Opacity', `${p}/opacity`, 'number', { placeholder: '1', step: '0.1' })]
        : [field('Text', `${p}/text`, 'textarea', { wide: true }), field('Font size', `${p}/fontSize`, 'int', { placeholder: '48' }),
          field('Colour', `${p}/color`, 'text', { placeholder: 'white' }), field('Box', `${p}/box`, 'checkbox')];
      return itemCard(`Overlay ${i + 1}`, p, spec.overlays, i, typeField, ...specific,
        field('Position', `${p}/position`, 'select', { options: POSITIONS, empty: 'top-left' }),
        field('Start (s)', `${p}/start`, 'number', { placeholder: '0' }),
        field('End (s)', `${p}/end`, 'number', { placeholder: 'end of video' }));
    });

    // Spec v2 members have no form fields yet: the form keeps them and says where to edit them.
    const v2 = ['layers', 'captions', 'audioTracks', 'ducking'].filter(k => spec[k] != null && !(Array.isArray(spec[k]) && spec[k].length === 0));
    const v2Note = v2.length === 0 ? null : h('p', { class: 'muted', id: 'v2-members' },
      `This composition also has ${v2.join(', ')} (spec v2): they are kept as they are; edit them in the JSON tab.`);
    form.replaceChildren(
      ...(v2Note ? [v2Note] : []),
      section('General', '',
        h('div', { class: 'grid' },
          field('Title', '/title', 'text', { wide: true, placeholder: 'shown in the list' }),
          field('Priority', '/priority', 'select', { options: ['default', 'high', 'low'], empty: 'default' }))),
      section('Clips', '/clips', ...clips,
        h('button', { class: 'btn btn-small', type: 'button', onclick: () => { spec.clips.push({ source: '' }); changed(); renderForm(); } }, '+ Add clip')),
      section('Overlays', '/overlays', ...overlays,
        h('button', { class: 'btn btn-small', type: 'button', onclick: () => { spec.overlays.push({ type: 'text', text: '', position: 'bottom' }); changed(); renderForm(); } }, '+ Add overlay')),
      section('Music bed', '/audio',
        h('div', { class: 'grid' },
          sourceField('Music', '/audio/source', 'audio/*'),
          field('Volume', '/audio/volume', 'number', { placeholder: '1', step: '0.1' }),
          field('Fade in (s)', '/audio/fadeIn', 'number', { placeholder: '0' }),
          field('Fade out (s)', '/audio/fadeOut', 'number', { placeholder: '0' }),
          field('Clip sound level', '/audio/clipAudio', 'number', { placeholder: '1', step: '0.1' }))),
      section('Output', '/output',
        h('div', { class: 'grid' },
          field('Width', '/output/width', 'int'),
          field('Height', '/output/height', 'int'),
          field('FPS', '/output/fps', 'number'),
          field('Format', '/output/format', 'select', { options: ['mp4', 'webm', 'gif'], empty: 'mp4' }),
          field('Preset', '/output/preset', 'select', { options: PRESETS, empty: 'veryfast' }),
          field('Quality (CRF)', '/output/quality', 'int', { placeholder: 'encoder default' }))));
    applyErrors();
  }

  // ---- errors -------------------------------------------------------------------------------
  function showErrors(e) {
    const pointers = Object.keys(lastErrors);
    summary.hidden = false;
    summary.replaceChildren(h('strong', {}, e.title || 'The composition was refused.'),
      pointers.length ? h('span', {}, ` ${pointers.length} problem${pointers.length > 1 ? 's' : ''}, shown next to ${mode === 'json' ? 'their pointer' : 'each field'}.`)
        : h('span', {}, ` ${e.message}`));
    applyErrors();
  }

  function applyErrors() {
    for (const el of root.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of root.querySelectorAll('.has-error')) el.classList.remove('has-error');
    jsonErrors.replaceChildren(...Object.entries(lastErrors).flatMap(([pointer, messages]) =>
      messages.map(m => h('li', { 'data-pointer': pointer }, h('code', {}, pointer || '(document)'), ' ', m))));
    if (mode !== 'form') return;
    for (const [pointer, messages] of Object.entries(lastErrors)) {
      // The field itself, or the nearest enclosing item/section (an unknown member has no field).
      let target = pointer;
      let slot = null;
      while (true) {
        slot = root.querySelector(`[data-error-for="${CSS.escape(target)}"]`);
        if (slot || target === '') break;
        target = target.slice(0, target.lastIndexOf('/'));
      }
      if (!slot) continue;
      const prefix = target === pointer ? '' : `${pointer.slice(target.length + 1)}: `;
      slot.textContent = [slot.textContent, ...messages.map(m => prefix + m)].filter(Boolean).join(' ');
      slot.closest('[data-field]')?.classList.add('has-error');
    }
  }

  function clearError(pointer) {
    if (!(pointer in lastErrors)) return;
    delete lastErrors[pointer];
    applyErrors();
  }

  renderForm();
  changed();
  return null;
}

// Empty strings from blank inputs mean "not given".
function prune(value) {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined).map(([k, v]) => [k, prune(v)]));
  }
  return value;
}
