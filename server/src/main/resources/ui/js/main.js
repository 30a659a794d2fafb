// The page's entry point: reads the server's info, signs in when the server asks for a token
// (session.js), starts the status panel and routes on the location hash (see state.js for the
// hash format).

import { ApiError, serverInfo, userInfo } from './api.js';
import { showDetail } from './detailView.js';
import { replace } from './dom.js';
import { ListView } from './listView.js';
import { startStatusPanel } from './metrics.js';
import { hasToken, showSignIn, showUser } from './session.js';
import { parseHash } from './state.js';
import { errorPanel } from './widgets.js';

const main = document.getElementById('main');
const TITLE = 'Archived workflows — Archivist';

let listView = null;
let lastListHash = '#/';
let routeGeneration = 0;
// Until /api/v1/info answers, assume read-only so Delete never flashes up on a server that forbids it.
let info = { readOnly: true, version: '', authMode: 'none' };
const infoReady = serverInfo()
  .then((i) => { info = i; })
  .catch(() => { info = { readOnly: false, version: '', authMode: 'none' }; })
  .finally(showVersion);
// Nothing from the archive is shown until the server knows who is asking.
let signedIn = false;
const userPanel = document.getElementById('user-panel');

function showVersion() {
  const footer = document.getElementById('server-version');
  if (footer) footer.textContent = info.version ? `Archivist ${info.version}` : 'Archivist';
  document.body.dataset.readOnly = String(info.readOnly);
}

async function route() {
  if (!signedIn) return;
  const generation = ++routeGeneration;
  const r = parseHash(location.hash);
  if (r.view === 'detail') {
    await infoReady;
    if (generation !== routeGeneration) return;
    showDetail(main, r.uid, {
      backHash: lastListHash,
      readOnly: info.readOnly,
      isCurrent: () => generation === routeGeneration,
      onDeleted: (name) => {
        if (!listView) listView = new ListView();
        listView.setFlash(`Deleted ${name} from the archive.`);
        location.hash = lastListHash;
      },
    });
    main.focus();
    return;
  }
  lastListHash = location.hash || '#/';
  document.title = TITLE;
  if (!listView) listView = new ListView();
  if (!main.contains(listView.root)) {
    replace(main, listView.root);
    main.focus();
  }
  listView.show(r.filters);
}

function signIn(reason) {
  signedIn = false;
  routeGeneration++;
  listView = null; // it may hold the last user's rows
  showUser(userPanel, null);
  document.title = `Sign in — ${TITLE}`;
  showSignIn(main, info.authMode, reason, signedInAs);
}

function signedInAs(user) {
  signedIn = true;
  document.body.dataset.user = user.name;
  showUser(userPanel, user, () => signIn(null));
  route();
}

async function start() {
  await infoReady;
  if (info.authMode === 'none') {
    signedIn = true;
    route();
    return;
  }
  if (!hasToken()) {
    signIn(null);
    return;
  }
  try {
    signedInAs(await userInfo());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signIn('The token kept for this tab was not accepted any more (it may have expired): sign in again.');
    } else {
      replace(main, errorPanel(null, null, start, null, e));
    }
  }
}

// A token given in an error panel's form: say who it belongs to.
window.addEventListener('archivist:token-changed', () => {
  if (info.authMode === 'none') return;
  userInfo().then((user) => showUser(userPanel, user, () => signIn(null))).catch(() => {});
});

window.addEventListener('hashchange', route);
start();

const panel = document.getElementById('status-panel');
if (panel) startStatusPanel(panel);

// Marks the app as started for people and tests alike (a script error leaves it unset).
document.body.dataset.app = 'ready';
