// Sign-in for servers started with --auth-mode token or kubernetes. The token is kept in this
// tab's sessionStorage only (see api.js): it is gone when the tab closes, and never written to
// localStorage, a cookie or the URL.

import { ApiError, apiToken, setApiToken, userInfo } from './api.js';
import { h, replace } from './dom.js';

/** What to ask for, by auth mode. */
function tokenHelp(authMode) {
  if (authMode === 'kubernetes') {
    return [
      'This archive shows what your Kubernetes account may see. Paste a bearer token of this cluster, for example from ',
      h('code', {}, 'kubectl create token <serviceaccount> -n <namespace>'),
      '. You will see the namespaces where you may list workflows.argoproj.io, and delete only where you may delete them.',
    ];
  }
  return ['This archive is protected by one shared token (the server\'s --api-token-file). Paste it to continue.'];
}

/**
 * The sign-in page, rendered into `main`. Calls `onSignedIn(user)` once the server accepted the
 * token; `reason` says why the page is shown (a token that stopped working, say).
 */
export function showSignIn(main, authMode, reason, onSignedIn) {
  const input = h('input', {
    id: 'signin-token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
  });
  const failure = h('div', { class: 'signin-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', {
    id: 'signin-form',
    class: 'signin-form panel',
    onsubmit: async (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      submit.disabled = true;
      setApiToken(token);
      try {
        const user = await userInfo();
        onSignedIn(user);
      } catch (err) {
        setApiToken('');
        replace(failure, explain(err));
        submit.disabled = false;
        input.focus();
      }
    },
  },
  h('h1', {}, 'Sign in to the archive'),
  reason ? h('p', { class: 'signin-reason' }, reason) : null,
  h('p', { class: 'hint' }, ...tokenHelp(authMode)),
  h('label', { for: 'signin-token' }, authMode === 'kubernetes' ? 'Kubernetes bearer token' : 'API token'),
  input,
  h('p', { class: 'hint' }, 'The token stays in this browser tab only and is forgotten when you close it or sign out.'),
  failure,
  submit);
  replace(main, form);
  input.focus();
}

/** A failed sign-in, said plainly. */
function explain(err) {
  if (err instanceof ApiError && err.status === 401) {
    return h('p', { class: 'error-message' },
      `The server did not accept this token (HTTP 401): ${err.message} Check that it is complete, not expired, and for this cluster.`);
  }
  if (err instanceof ApiError && err.status === 503) {
    return h('p', { class: 'error-message' },
      `The server cannot check tokens right now (HTTP 503): ${err.message}`);
  }
  return h('p', { class: 'error-message' }, String(err && err.message ? err.message : err));
}

/** The header's "signed in as" line with the visible namespaces and a Sign out button. */
export function showUser(panel, user, onSignOut) {
  if (!panel) return;
  if (!user) {
    replace(panel);
    panel.hidden = true;
    return;
  }
  const scope = user.allNamespaces
    ? 'all namespaces'
    : user.namespaces.length === 0
      ? 'no namespaces'
      : `${user.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${user.namespaces.join(', ')}`;
  panel.hidden = false;
  replace(panel,
    h('span', { class: 'user-name' }, 'Signed in as ', h('strong', { dataset: { user: user.name } }, user.name)),
    h('span', { class: 'user-scope', dataset: { namespaces: user.allNamespaces ? '*' : user.namespaces.join(',') } },
      ` · sees ${scope}`),
    ' ',
    h('button', { type: 'button', class: 'secondary sign-out', onclick: () => { setApiToken(''); onSignOut(); } }, 'Sign out'));
}

/** Whether a token is kept for this tab. */
export function hasToken() {
  return apiToken() !== '';
}
