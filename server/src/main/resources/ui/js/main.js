// The page's entry point: reads the server's info, starts the status panel and routes on the
// location hash (see state.js for the hash format).

import { serverInfo } from './api.js';
import { showDetail } from './detailView.js';
import { replace } from './dom.js';
import { ListView } from './listView.js';
import { startStatusPanel } from './metrics.js';
import { parseHash } from './state.js';

const main = document.getElementById('main');
const TITLE = 'Archived workflows — Archivist';

let listView = null;
let lastListHash = '#/';
let routeGeneration = 0;
// Until /api/v1/info answers, assume read-only so Delete never flashes up on a server that forbids it.
let info = { readOnly: true, version: '' };
const infoReady = serverInfo()
  .then((i) => { info = i; })
  .catch(() => { info = { readOnly: false, version: '' }; })
  .finally(showVersion);

function showVersion() {
  const footer = document.getElementById('server-version');
  if (footer) footer.textContent = info.version ? `Archivist ${info.version}` : 'Archivist';
  document.body.dataset.readOnly = String(info.readOnly);
}

async function route() {
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

window.addEventListener('hashchange', route);
route();

const panel = document.getElementById('status-panel');
if (panel) startStatusPanel(panel);

// Marks the app as started for people and tests alike (a script error leaves it unset).
document.body.dataset.app = 'ready';
