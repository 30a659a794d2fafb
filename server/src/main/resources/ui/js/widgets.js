// Small pieces shared by the views: the phase badge and the error panel.

import { ApiError, apiToken, setApiToken } from './api.js';
import { h } from './dom.js';
import { phaseInfo } from './format.js';

/** Colour, icon and the phase's name as text, so the phase never rests on colour alone. */
export function phaseBadge(phase) {
  const name = phase || 'Unknown';
  const info = phaseInfo(phase);
  return h('span', { class: `phase phase-${info.cls}`, dataset: { phase: name } },
    h('span', { class: 'phase-icon', 'aria-hidden': 'true' }, info.icon), ' ', name);
}

/**
 * An error, said plainly. With `error` given, the title and text come from its kind: the server
 * is unreachable, refused the token, or failed. `retry` adds a Retry button.
 */
export function errorPanel(title, message, retry, kind, error) {
  let heading = title;
  let text = message;
  let extra = null;
  let advice = '';
  let cls = kind || 'error';
  if (error) {
    if (error instanceof ApiError && error.kind === 'network') {
      heading = 'The archive API is unreachable';
      text = error.message;
      advice = 'Check that Archivist is running and reachable, then press Retry.';
      cls = 'api-down';
    } else if (error instanceof ApiError && error.status === 401) {
      heading = 'You are not signed in, or your token stopped working (HTTP 401)';
      text = error.message;
      advice = 'Tokens expire and can be revoked. Give a current one to go on.';
      extra = tokenForm(retry);
      cls = 'unauthorized';
    } else if (error instanceof ApiError && error.status === 403) {
      heading = 'Not allowed (HTTP 403)';
      text = error.message;
      advice = 'You are signed in, but your account may not do this here. On a server that uses'
        + ' Kubernetes sign-in, the cluster decides: ask for the right to list, get or delete'
        + ' workflows.argoproj.io in that namespace.';
      cls = 'forbidden';
    } else if (error instanceof ApiError && error.status === 503) {
      heading = 'The server cannot answer right now (HTTP 503)';
      text = error.message;
      advice = 'The server is up but cannot reach its database or the Kubernetes API; try again shortly.';
      cls = 'db-down';
    } else if (error instanceof ApiError) {
      heading = `The archive API failed (HTTP ${error.status})`;
      text = error.message;
    } else {
      heading = 'Something went wrong in this page';
      text = String(error && error.message ? error.message : error);
    }
  }
  return h('div', { class: `error-panel ${cls}`, role: 'alert', dataset: { error: cls } },
    h('h2', {}, heading),
    text ? h('p', { class: 'error-message' }, text) : null,
    advice ? h('p', { class: 'error-advice' }, advice) : null,
    extra,
    retry ? h('button', { type: 'button', onclick: retry }, 'Retry') : null);
}

function tokenForm(retry) {
  const input = h('input', { id: 'api-token', type: 'password', autocomplete: 'off', value: apiToken() });
  return h('form', {
    class: 'token-form',
    onsubmit: (e) => {
      e.preventDefault();
      setApiToken(input.value.trim());
      window.dispatchEvent(new Event('archivist:token-changed'));
      if (retry) retry();
    },
  }, h('label', { for: 'api-token' }, 'API token (kept for this browser tab only)'), input,
  h('button', { type: 'submit', class: 'primary' }, 'Use token'));
}
