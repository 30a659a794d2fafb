// The archive API client. Every URL is relative to the page, so the UI also works behind a
// reverse proxy that serves Archivist under a path prefix.

const TOKEN_KEY = 'archivist.apiToken';

/**
 * A failed call. `kind` is 'network' (no answer: the server is down or unreachable) or 'http'
 * (an answer with an error status; `message` is the server's own message when it sent one).
 */
export class ApiError extends Error {
  constructor(kind, status, message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

export function apiToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setApiToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token lasts until the page reloads, which is the best we can do.
  }
}

async function request(path, { method = 'GET', accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const token = apiToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('network', 0, `The archive server did not answer (${e.message}).`);
  }
  if (!response.ok) {
    throw new ApiError('http', response.status, await errorMessage(response));
  }
  return response;
}

/** The server's `{"code":..,"message":".."}`, else its text, else the status line. */
async function errorMessage(response) {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The body is gone; the status line below still says what happened.
  }
  try {
    const json = JSON.parse(body);
    if (json && typeof json.message === 'string' && json.message) return json.message;
  } catch {
    // Not JSON: fall through to the text.
  }
  const text = body.trim();
  if (text && text.length < 500 && !text.startsWith('<')) return text;
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

async function json(path, options) {
  const response = await request(path, options);
  return response.json();
}

export function listWorkflows(query, signal) {
  return json(`api/v1/archived-workflows?${query}`, { signal });
}

export function getWorkflow(uid, signal) {
  return json(`api/v1/archived-workflows/${encodeURIComponent(uid)}`, { signal });
}

export async function deleteWorkflow(uid) {
  await request(`api/v1/archived-workflows/${encodeURIComponent(uid)}`, { method: 'DELETE' });
}

export async function labelKeys(signal) {
  const body = await json('api/v1/archived-workflows-label-keys', { signal });
  return Array.isArray(body.items) ? body.items : [];
}

/**
 * The server's `{readOnly, version, authMode}`. A server without this endpoint (404) is treated
 * as writable and open: the Delete button then stays, and the server still refuses a delete it
 * forbids, and a 401 still brings up the token form.
 */
export async function serverInfo() {
  try {
    const body = await json('api/v1/info');
    return { readOnly: body.readOnly === true, version: body.version || '', authMode: body.authMode || 'none' };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { readOnly: false, version: '', authMode: 'none' };
    throw e;
  }
}

/** `{name, groups, allNamespaces, namespaces}`: who the server takes the token's holder to be. */
export async function userInfo() {
  const body = await json('api/v1/userinfo');
  return {
    name: body.name || '',
    groups: Array.isArray(body.groups) ? body.groups : [],
    allNamespaces: body.allNamespaces === true,
    namespaces: Array.isArray(body.namespaces) ? body.namespaces : [],
  };
}

export async function metricsText(signal) {
  const response = await request('metrics', { accept: 'text/plain', signal });
  return response.text();
}
