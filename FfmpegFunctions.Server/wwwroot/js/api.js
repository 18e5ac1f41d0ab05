// Every call to the API goes through here so the API key travels on all of them.
import config from './config.js';
const KEY_STORAGE = 'ffmpegfunctions.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_STORAGE) ?? '',
  set: value => (value ? sessionStorage.setItem(KEY_STORAGE, value) : sessionStorage.removeItem(KEY_STORAGE)),
};

/**
 * The Server's console settings ({keyRequired, developmentKey}); a backend without them (the Functions
 * app, an older Server) is taken to require a key and hand none out.
 */
export async function consoleSettings() {
  const fallback = { keyRequired: true, developmentKey: null };
  if (config.apiBase) return fallback;
  try {
    const response = await fetch('/console/settings.json', { cache: 'no-store' });
    return response.ok ? { ...fallback, ...(await response.json()) } : fallback;
  } catch {
    return fallback;
  }
}

export function authHeaders() {
  const key = apiKey.get();
  return key ? { 'X-API-Key': key } : {};
}

/** A non-2xx answer; `errors` maps JSON pointers to messages (problem+json "errors"). */
export class ApiError extends Error {
  constructor(status, problem, text) {
    super(problem?.detail || problem?.title || text || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.title = problem?.title ?? `HTTP ${status}`;
    this.errors = normaliseErrors(problem?.errors);
  }
}

// The API sends {pointer: [messages]}; the spec document also shows [{pointer, message}]. Accept both.
function normaliseErrors(errors) {
  const out = {};
  if (Array.isArray(errors)) for (const e of errors) (out[e.pointer ?? ''] ??= []).push(e.message);
  else if (errors && typeof errors === 'object') for (const [k, v] of Object.entries(errors)) out[k] = [].concat(v);
  return out;
}

/** fetch() with JSON in and out; `body` may be an object or an already serialised string. */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...authHeaders(), ...headers };
  let payload;
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(config.apiBase + path, { method, headers: h, body: payload, cache: 'no-store' });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!response.ok) throw new ApiError(response.status, data, text);
  return data;
}

/** PUTs a file to a presigned URL, reporting progress 0..1 (fetch has no upload progress; XHR does). */
export function putWithProgress(target, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method || 'PUT', target.url);
    for (const [name, value] of Object.entries(target.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = e => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`storage answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('the upload could not reach storage (network or CORS)'));
    xhr.send(file);
  });
}

/**
 * Uploads a local file: asks for a presigned URL (declaring the size), sends the bytes straight to storage, then has
 * the server confirm what it stored (a refused file is deleted and this throws the server's reason). Returns the key.
 */
export async function uploadFile(file, onProgress) {
  const { uploads: [target] } = await api('/api/uploads', {
    method: 'POST',
    body: { files: [{ fileName: file.name, contentType: file.type || guessType(file.name), size: file.size }] },
  });
  await putWithProgress(target, file, onProgress);
  await api(`/api/uploads/${target.uploadId}/complete`, { method: 'POST' });
  return target.key;
}

// A source picked on the media page, handed to the next "New composition" form (one tab, one pick).
const PICK_STORAGE = 'ffmpegfunctions.pickedSource';
export const pickedSource = {
  set: key => sessionStorage.setItem(PICK_STORAGE, key),
  take: () => { const key = sessionStorage.getItem(PICK_STORAGE); sessionStorage.removeItem(PICK_STORAGE); return key; },
};

function guessType(name) {
  const ext = name.split('.').pop().toLowerCase();
  // Browsers often give no type for .srt: captions are accepted as text/vtt or application/x-subrip by name only.
  return { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', png: 'image/png',
    jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', tif: 'image/tiff',
    tiff: 'image/tiff', mp3: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4', ogg: 'audio/ogg',
    srt: 'application/x-subrip', vtt: 'text/vtt' }[ext] ?? 'video/mp4';
}

/** Asks the server for the sample spec and creates a composition from it. Returns the new id. */
export async function createSample() {
  const spec = await api('/api/samples', { method: 'POST' });
  const created = await api('/api/compositions', { method: 'POST', body: spec });
  return created.id;
}
