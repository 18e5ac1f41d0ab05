// The console's shell: hash routes (#/, #/new, #/c/{id}), the API key field and the live-mode indicator.
import { apiKey, consoleSettings } from './api.js';
import { onModeChange, restart, start } from './live.js';

const routes = [
  [/^#?\/?$/, () => import('./list.js')],
  [/^#\/new$/, () => import('./new.js')],
  [/^#\/c\/([0-9a-f-]{36})$/i, () => import('./detail.js')],
  [/^#\/media$/, () => import('./media.js')],
  [/^#\/templates$/, () => import('./templates.js')],
  [/^#\/t\/([0-9a-f-]{36})$/i, () => import('./template-render.js')],
];

const view = document.getElementById('view');
let cleanup = null;

async function route() {
  const hash = location.hash || '#/';
  cleanup?.();
  cleanup = null;
  const section = hash === '#/new' ? 'new' : hash === '#/media' ? 'media' : hash === '#/templates' || hash.startsWith('#/t/') ? 'templates'
    : hash.startsWith('#/c/') ? null : 'list';
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === section);
  for (const [pattern, load] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    const module = await load();
    const root = document.createElement('div');
    root.className = 'page';
    view.replaceChildren(root);
    cleanup = module.render(root, ...match.slice(1)) ?? null;
    return;
  }
  view.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'No such page.' }));
}

const keyInput = document.getElementById('apikey');
// Before the first API call: a console opened for the first time in Development is handed the key
// ./run.sh prints, so its first view is the list, not a 401.
const settings = await consoleSettings();
if (!apiKey.get() && settings.developmentKey) apiKey.set(settings.developmentKey);
keyInput.placeholder = settings.keyRequired ? 'paste your API key' : 'not needed (Auth:Enabled is off)';
keyInput.value = apiKey.get();
keyInput.addEventListener('change', () => {
  apiKey.set(keyInput.value.trim());
  restart();
  route();
});
document.getElementById('apikey-form').addEventListener('submit', e => e.preventDefault());

const modeEl = document.getElementById('live-mode');
onModeChange(mode => {
  modeEl.dataset.mode = mode;
  modeEl.textContent = { live: '● live', polling: '● polling', connecting: '● connecting' }[mode] ?? mode;
});

window.addEventListener('hashchange', route);
route();
// The SignalR bundle is fetched after the page has loaded: it never delays the first paint.
if (document.readyState === 'complete') start(); else window.addEventListener('load', () => start(), { once: true });
