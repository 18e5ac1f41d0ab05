// Live updates of compositions: SignalR when the hub answers, otherwise polling every 2 s.
import { api, apiKey, authHeaders } from './api.js';
import config from './config.js';

// The Server's hub, or Azure SignalR Service negotiated by the Functions app (POST /api/negotiate).
const functions = config.realtime === 'functions';
const hubUrl = functions ? `${config.apiBase}/api` : `${config.apiBase}/hubs/compositions`;

const POLL_MS = 2000;
export const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'deleted', 'expired']);

let connection = null;
let starting = null;
let mode = 'connecting';
const watchers = new Map(); // id -> Set<callback>
const pollers = new Map(); // id -> timer

const modeListeners = new Set();
export const liveMode = () => mode;
export function onModeChange(fn) { modeListeners.add(fn); fn(mode); }
function setMode(m) { mode = m; for (const fn of modeListeners) fn(m); }

function loadScript(src) {
  if (window.signalR) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => (window.signalR ? resolve() : reject(new Error('no signalR global')));
    s.onerror = () => reject(new Error(`${src} is missing`));
    document.head.append(s);
  });
}

/** Connects now (the shell calls it after load so the indicator is right on every page). */
export function start() {
  starting ??= (async () => {
    try {
      await loadScript('lib/signalr.min.js');
      const { HubConnectionBuilder, LogLevel } = window.signalR;
      // The key goes both ways: as a header (negotiate and long polling) and as the access token
      // (the only thing a browser can attach to a WebSocket, sent as ?access_token=).
      const c = new HubConnectionBuilder()
        .withUrl(hubUrl, { headers: authHeaders(), ...(functions ? {} : { accessTokenFactory: () => apiKey.get() }) })
        .withAutomaticReconnect()
        .configureLogging(LogLevel.Warning)
        .build();
      for (const name of ['progress', 'status', 'completed', 'failed']) c.on(name, message => dispatch(name, message));
      c.onreconnecting(() => { setMode('polling'); for (const id of watchers.keys()) startPolling(id); });
      c.onreconnected(() => { setMode('live'); for (const id of watchers.keys()) subscribe(id); });
      c.onclose(() => { connection = null; setMode('polling'); for (const id of watchers.keys()) startPolling(id); });
      await c.start();
      connection = c;
      setMode('live');
    } catch (e) {
      console.warn('live updates fall back to polling:', e.message);
      setMode('polling');
    }
  })();
  return starting;
}

function dispatch(kind, message) {
  const id = message.compositionId;
  const update = { kind, compositionId: id };
  if (kind === 'progress') Object.assign(update, { progress: message.progress, step: message.step });
  if (kind === 'status' || kind === 'completed') Object.assign(update, { status: message.status, step: message.step, output: message.output });
  if (kind === 'failed') Object.assign(update, { status: 'failed', error: message.error, step: message.step });
  notify(id, update);
}

function notify(id, update) {
  for (const fn of watchers.get(id) ?? []) fn(update);
}

async function subscribe(id) {
  try {
    // The Server's hub joins the group itself and returns the state; the Functions app joins it
    // through an HTTP function (SignalR Service in serverless mode has no hub methods).
    const state = functions
      ? (await api(`/api/compositions/${id}/subscribe`, { method: 'POST', body: { connectionId: connection.connectionId } }),
        await api(`/api/compositions/${id}`))
      : await connection.invoke('Subscribe', id);
    stopPolling(id);
    if (state) notify(id, { kind: 'state', ...state });
  } catch {
    startPolling(id);
  }
}

function startPolling(id) {
  if (pollers.has(id)) return;
  const tick = async () => {
    if (!watchers.has(id)) return stopPolling(id);
    try {
      const view = await api(`/api/compositions/${id}`);
      notify(id, { kind: 'state', ...view });
      if (TERMINAL.has(view.status)) return stopPolling(id);
    } catch { /* try again next tick */ }
    pollers.set(id, setTimeout(tick, POLL_MS));
  };
  pollers.set(id, setTimeout(tick, 0));
}

function stopPolling(id) {
  clearTimeout(pollers.get(id));
  pollers.delete(id);
}

/** Calls `fn` with every update of a composition (a state snapshot first). Returns the unwatch function. */
export function watch(id, fn) {
  const first = !watchers.has(id);
  if (first) watchers.set(id, new Set());
  watchers.get(id).add(fn);
  start().then(() => {
    if (!watchers.get(id)?.has(fn)) return;
    if (connection) subscribe(id); else startPolling(id);
  });
  return () => {
    const set = watchers.get(id);
    if (!set) return;
    set.delete(fn);
    if (set.size === 0) {
      watchers.delete(id);
      stopPolling(id);
      if (!functions) connection?.invoke('Unsubscribe', id).catch(() => {});
    }
  };
}

/** Reconnects with the current API key (after the user changes it). */
export async function restart() {
  const old = connection;
  connection = null;
  starting = null;
  await old?.stop().catch(() => {});
  await start();
  for (const id of watchers.keys()) (connection ? subscribe(id) : startPolling(id));
}
