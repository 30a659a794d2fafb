// Browser test of the archive browser, driven by dev.archivist.server.ui.BrowserTest (or by hand).
//
//   node ui-tests/browser-test.mjs <baseUrl> <screenshotDir> [--mode=functional|readonly|big]
//                                  [--archived=N] [--readonly-url=<url of a read-only server>]
//
// Runs Debian's /usr/bin/chromium through playwright-core (no browser download) against a running
// Archivist server, prints one line per check, `PASS <check>: ...` or `FAIL <check>: ...`, then
// `SUMMARY checks=N failed=M`, and exits 0 only when every check passed. The functional mode
// deletes one workflow; it expects a server over a few hundred workflows with nodes.
// The readonly mode expects a server started with --read-only and checks that the page cannot
// delete; the functional mode runs that check too when given --readonly-url. The big mode only reads (lists, filters, pages) and prints how long each step took.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [baseUrlArg, shotDirArg, ...rest] = process.argv.slice(2);
if (!baseUrlArg || !shotDirArg) {
  console.error('usage: node browser-test.mjs <baseUrl> <screenshotDir> [--mode=functional|readonly|big] [--archived=N] [--readonly-url=URL]');
  process.exit(2);
}
const baseUrl = baseUrlArg.endsWith('/') ? baseUrlArg : `${baseUrlArg}/`;
const shotDir = path.resolve(shotDirArg);
const option = (name, fallback) => {
  const arg = rest.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
};
const mode = option('mode', 'functional');
// When given, the status panel must show this archived total (the server's registry has it).
const expectArchived = option('archived', '');
// When given (functional mode), a second server over the same archive, started read-only.
const readOnlyUrlArg = option('readonly-url', '');
// When given (functional mode), a server that asks for a token: the token of a viewer who may
// list and get in one namespace (the third option) and delete nowhere.
const signInUrlArg = option('signin-url', '');
const signInToken = option('signin-token', '');
const signInNamespace = option('signin-namespace', '');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
fs.mkdirSync(shotDir, { recursive: true });

const results = [];
function record(ok, name, detail) {
  results.push({ ok, name });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    record(true, name, `${detail || 'ok'} (${Date.now() - started} ms)`);
  } catch (e) {
    record(false, name, String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e));
    await shot(`failure-${name}`).catch(() => {});
  }
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archivist-ui-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
  timezoneId: 'UTC',
  locale: 'en-US',
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(15000);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });

async function shot(name, fullPage = true) {
  const file = path.join(shotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

const rows = 'table.workflows tbody tr';

/** Waits until the list has finished a load (rows, empty state or error) and returns the rows' data. */
async function listState() {
  await page.waitForFunction(() => {
    const v = document.querySelector('.list-view');
    return v && !v.hasAttribute('aria-busy') && v.dataset.state && v.dataset.loadedFor === location.hash;
  });
  return page.$$eval(rows, (trs) => trs.map((tr) => ({
    uid: tr.dataset.uid,
    name: tr.dataset.name,
    namespace: tr.dataset.namespace,
    phase: tr.querySelector('.phase')?.dataset.phase,
    startedAt: tr.querySelector('td[data-label="Started"] time')?.getAttribute('datetime'),
  })));
}

/** Runs `action` (which changes the hash) and waits for the list to load again. */
async function afterNavigation(action) {
  const before = await page.evaluate(() => location.hash);
  await action();
  await page.waitForFunction((h) => location.hash !== h, before);
  return listState();
}

/** A fresh page load (not a same-document hash change), so nothing is left from the last check. */
async function openList(hash = '#/') {
  await page.goto('about:blank');
  await page.goto(`${baseUrl}${hash}`);
  await page.waitForFunction(() => document.body.dataset.app === 'ready');
  return listState();
}

async function functional() {
  let firstPage = [];

  await check('list-renders', async () => {
    firstPage = await openList();
    assert(firstPage.length === 50, `expected 50 rows on the first page, got ${firstPage.length}`);
    assert(firstPage.every((r) => r.uid && r.name && r.namespace && r.phase), 'a row lacks uid, name, namespace or phase');
    const sorted = firstPage.every((r, i) => i === 0 || r.startedAt <= firstPage[i - 1].startedAt);
    assert(sorted, 'rows are not newest-first');
    const chips = await page.locator(`${rows} .chip`).count();
    assert(chips > 0, 'no label chips rendered');
    await page.waitForSelector('#status-panel .stats, #status-panel .stats-unavailable');
    const metrics = await page.locator('#status-panel .stats').count();
    assert(metrics === 1, `the status panel says: ${await page.locator('#status-panel').innerText()}`);
    const heap = await page.locator('#status-panel [data-metric="heap"] dd').innerText();
    assert(/B$/.test(heap), `heap shows "${heap}"`);
    const heapLabel = await page.locator('#status-panel [data-metric="heap"] dt').textContent();
    assert(heapLabel === 'Heap after GC', `the heap tile is labelled "${heapLabel}"`);
    const heapTitle = await page.locator('#status-panel [data-metric="heap"]').getAttribute('title');
    assert(heapTitle.startsWith('archivist_heap_after_gc_bytes'), `the heap tile's title is "${heapTitle}"`);
    if (expectArchived) {
      const archived = await page.locator('#status-panel [data-metric="archived"] dd').innerText();
      const want = Number(expectArchived).toLocaleString('en-US');
      assert(archived === want, `archived shows "${archived}", want "${want}"`);
    }
    await shot('list');
    return `${firstPage.length} rows, newest ${firstPage[0].name}, ${chips} chips, heap ${heap}`;
  });

  await check('filter-namespace-and-phase', async () => {
    const ns = firstPage[0].namespace;
    await page.fill('#f-namespace', ns);
    let list = await afterNavigation(() => page.press('#f-namespace', 'Enter'));
    assert(list.length > 0, `no rows for namespace ${ns}`);
    assert(list.every((r) => r.namespace === ns), `a row outside namespace ${ns}`);
    list = await afterNavigation(() => page.selectOption('#f-phase', 'Failed'));
    assert(list.length > 0, `no Failed rows in ${ns}`);
    assert(list.every((r) => r.namespace === ns && r.phase === 'Failed'), 'a row is not Failed or not in the namespace');
    const hash = await page.evaluate(() => location.hash);
    assert(hash.includes('phase=Failed') && hash.includes(`namespace=${encodeURIComponent(ns)}`), `hash ${hash} lacks the filters`);
    await page.reload();
    const again = await listState();
    assert(await page.inputValue('#f-namespace') === ns, 'reload lost the namespace field');
    assert(JSON.stringify(again.map((r) => r.uid)) === JSON.stringify(list.map((r) => r.uid)), 'reload shows other rows');
    await shot('list-filtered');
    return `${ns} + Failed: ${list.length} rows; survives reload`;
  });

  await check('filter-name-label-time', async () => {
    const target = firstPage[3];
    const fragment = target.name.slice(Math.max(0, target.name.length - 4));
    await openList();
    await page.selectOption('#f-match', 'Contains');
    await page.fill('#f-name', fragment);
    let list = await afterNavigation(() => page.click('button[type=submit]'));
    assert(list.length > 0 && list.every((r) => r.name.includes(fragment)), `name contains "${fragment}" not honoured`);
    assert(list.some((r) => r.uid === target.uid), `${target.name} missing from its own search`);
    // A label chip adds its term to the selector.
    await openList();
    const chip = page.locator(`${rows}:first-child .chip`).first();
    const term = (await chip.innerText()).trim();
    list = await afterNavigation(() => chip.click());
    assert(await page.inputValue('#f-selector') === term, `selector field is not "${term}"`);
    assert(list.length > 0, `no rows for ${term}`);
    // Started before the 11th newest: the 10 newer ones go.
    await openList();
    const cutoffIso = firstPage[10].startedAt;
    const cutoff = new Date(Date.parse(cutoffIso));
    cutoff.setUTCSeconds(0, 0);
    await page.fill('#f-before', cutoff.toISOString().slice(0, 16));
    list = await afterNavigation(() => page.click('button[type=submit]'));
    assert(list.length > 0, 'no rows before the cutoff');
    assert(list.every((r) => Date.parse(r.startedAt) < cutoff.getTime()), `a row started after ${cutoff.toISOString()}`);
    assert(!list.some((r) => r.uid === firstPage[0].uid), 'the newest row is still listed');
    return `contains "${fragment}", chip ${term} (${list.length} rows before ${cutoff.toISOString()})`;
  });

  await check('bad-selector-shows-server-message', async () => {
    await openList();
    await page.fill('#f-selector', 'team in (ml');
    await afterNavigation(() => page.press('#f-selector', 'Enter'));
    const panel = page.locator('.error-panel[data-error="bad-request"]');
    await panel.waitFor();
    const message = (await panel.locator('.error-message').innerText()).trim();
    assert(message.length > 0, 'no server message shown');
    assert(await page.getAttribute('#f-selector', 'aria-invalid') === 'true', 'selector field not marked invalid');
    await shot('list-bad-selector', false);
    return `shows "${message}"`;
  });

  await check('paging-next-previous', async () => {
    const p1 = await openList();
    const ids = (l) => l.map((r) => r.uid);
    assert(await page.isDisabled('.pager-prev'), 'Previous is enabled on page 1');
    const p2 = await afterNavigation(() => page.click('.pager-next'));
    assert(p2.length > 0 && !ids(p2).some((u) => ids(p1).includes(u)), 'page 2 repeats page 1 rows');
    assert(p2[0].startedAt <= p1[p1.length - 1].startedAt, 'page 2 is not older than page 1');
    const p3 = await afterNavigation(() => page.click('.pager-next'));
    assert(p3.length > 0 && !ids(p3).some((u) => ids(p2).includes(u) || ids(p1).includes(u)), 'page 3 repeats rows');
    const back2 = await afterNavigation(() => page.click('.pager-prev'));
    assert(JSON.stringify(ids(back2)) === JSON.stringify(ids(p2)), 'Previous from page 3 is not page 2');
    await page.reload();
    const reloaded = await listState();
    assert(JSON.stringify(ids(reloaded)) === JSON.stringify(ids(p2)), 'reload of page 2 shows other rows');
    assert((await page.innerText('.page-number')).includes('2'), 'page number is not 2 after reload');
    const back1 = await afterNavigation(() => page.click('.pager-prev'));
    assert(JSON.stringify(ids(back1)) === JSON.stringify(ids(p1)), 'Previous from page 2 is not page 1');
    assert(await page.isDisabled('.pager-prev'), 'Previous is enabled on page 1');
    return `page 1 ${p1[0].name}…, page 2 ${p2[0].name}…, page 3 ${p3[0].name}…`;
  });

  let deleted = null;
  await check('detail-shows-node-tree', async () => {
    const list = await openList();
    const target = list.find((r) => r.phase === 'Failed') || list[0];
    // By keyboard: the name is a real link.
    await page.focus(`${rows}[data-uid="${target.uid}"] th.name a`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.detail-view[data-state="loaded"]');
    assert((await page.innerText('#detail-heading')).trim() === target.name, 'heading is not the workflow name');
    const nodeCount = await page.locator('.node-tree li.node').count();
    assert(nodeCount >= 3, `only ${nodeCount} nodes in the tree`);
    const rootId = await page.getAttribute('.node-tree > li.node', 'data-node-id');
    assert(rootId === target.name, `tree root is ${rootId}, not the workflow node`);
    const nested = await page.locator('.node-tree li.node li.node').count();
    assert(nested === nodeCount - 1, `${nested} of ${nodeCount} nodes hang under the root`);
    const failedNodes = await page.locator('.node-tree li.node[data-phase="Failed"]').count();
    assert(failedNodes > 0, 'a Failed workflow shows no Failed node');
    const params = await page.locator('.parameters tbody tr').count();
    assert(params > 0, 'no parameters shown');
    const raw = await page.innerText('pre.raw');
    assert(raw.includes(`"uid": "${target.uid}"`), 'raw JSON lacks the uid');
    await shot('detail');
    await page.click('.segmented button:has-text("YAML")');
    const yaml = await page.innerText('pre.raw');
    assert(yaml.includes(`uid: ${target.uid}`) || yaml.includes(`uid: "${target.uid}"`), 'YAML view lacks the uid');
    deleted = target;
    return `${target.name}: ${nodeCount} nodes (${failedNodes} failed), ${params} parameters`;
  });

  await check('delete-with-confirmation', async () => {
    assert(deleted, 'no workflow open from the previous check');
    const info = await page.request.get(`${baseUrl}api/v1/info`);
    if (info.status() === 200 && (await info.json()).readOnly) throw new Error('the server is read-only');
    await page.click('.delete-button');
    const dialog = page.locator('dialog.confirm');
    await dialog.waitFor();
    assert((await dialog.innerText()).includes(deleted.name), 'dialog does not name the workflow');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    assert(focused === 'Cancel', `the dialog opens with focus on "${focused}", not Cancel`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert((await page.request.get(`${baseUrl}api/v1/archived-workflows/${deleted.uid}`)).status() === 200, 'Escape deleted it');
    await page.click('.delete-button');
    await dialog.waitFor();
    await shot('delete-dialog', false);
    await page.click('dialog.confirm .confirm-delete');
    await page.waitForFunction(() => !location.hash.startsWith('#/workflows/'));
    const list = await listState();
    const flash = await page.innerText('.notice.success');
    assert(flash.includes(deleted.name), `no confirmation notice (${flash})`);
    assert(!list.some((r) => r.uid === deleted.uid), 'the deleted row is still listed');
    const status = (await page.request.get(`${baseUrl}api/v1/archived-workflows/${deleted.uid}`)).status();
    assert(status === 404, `GET after delete gave ${status}`);
    await page.selectOption('#f-match', 'Exact');
    await page.fill('#f-name', deleted.name);
    const found = await afterNavigation(() => page.click('button[type=submit]'));
    assert(found.length === 0, 'an exact search still finds it');
    assert(await page.locator('.empty').count() === 1, 'no empty state shown');
    return `${deleted.name} deleted; list and API agree`;
  });

  await check('api-down-and-metrics-unavailable', async () => {
    await page.route('**/api/v1/archived-workflows?**', (route) => route.abort('connectionrefused'));
    await page.route('**/metrics', (route) => route.abort('connectionrefused'));
    await page.goto(`${baseUrl}#/?namespace=nowhere`);
    await page.waitForSelector('.error-panel[data-error="api-down"]');
    await page.waitForSelector('#status-panel .stats-unavailable');
    await shot('api-down', false);
    await page.unroute('**/api/v1/archived-workflows?**');
    await page.unroute('**/metrics');
    await page.click('.error-panel button:has-text("Retry")');
    await listState();
    assert(await page.locator('.error-panel').count() === 0, 'Retry did not recover');
    return 'error panel and "Metrics unavailable" shown; Retry recovers';
  });

  await check('narrow-viewport', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const list = await openList();
    assert(list.length > 0, 'no rows at 390px');
    await page.waitForSelector('#status-panel .stats');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `page is ${overflow}px wider than the viewport`);
    await shot('list-narrow', false);
    await page.click(`${rows}:first-child th.name a`);
    await page.waitForSelector('.detail-view[data-state="loaded"]');
    const detailOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(detailOverflow <= 1, `detail view is ${detailOverflow}px wider than the viewport`);
    await shot('detail-narrow', false);
    await page.setViewportSize({ width: 1280, height: 900 });
    return 'list and detail without horizontal scrolling at 390px';
  });
}

async function big() {
  const timed = async (fn) => { const t = Date.now(); const v = await fn(); return [v, Date.now() - t]; };
  await check('big-list-renders', async () => {
    const [list, ms] = await timed(() => openList());
    assert(list.length === 50, `expected 50 rows, got ${list.length}`);
    await shot('big-list');
    return `first page in ${ms} ms`;
  });
  await check('big-filter', async () => {
    await page.fill('#f-namespace', 'ml-training');
    await page.fill('#f-selector', 'team=ml,tier!=batch');
    const [list, ms] = await timed(() => afterNavigation(() => page.click('button[type=submit]')));
    assert(list.length > 0 && list.every((r) => r.namespace === 'ml-training'), 'namespace filter not honoured');
    const [failed, ms2] = await timed(() => afterNavigation(() => page.selectOption('#f-phase', 'Failed')));
    assert(failed.length > 0 && failed.every((r) => r.phase === 'Failed'), 'phase filter not honoured');
    await shot('big-filtered');
    return `namespace+selector in ${ms} ms, +phase in ${ms2} ms`;
  });
  await check('big-paging', async () => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const [, ms] = await timed(() => afterNavigation(() => page.click('.pager-next')));
      times.push(ms);
    }
    assert((await page.innerText('.page-number')) === 'Page 6', 'not on page 6 after Next ×5');
    await shot('big-filtered-page6', false);
    const [, back] = await timed(() => afterNavigation(() => page.click('.pager-prev')));
    assert((await page.innerText('.page-number')) === 'Page 5', 'Previous from page 6 is not page 5');
    return `next ×5: ${times.join(', ')} ms; previous: ${back} ms`;
  });
  await check('big-api-latency', async () => {
    // The server alone, without the browser's rendering: median of 5 of each request.
    const api = `${baseUrl}api/v1/archived-workflows?listOptions.limit=50`;
    const queries = {
      'first page': '',
      'namespace+selector+phase': '&namespace=ml-training&listOptions.labelSelector=' + encodeURIComponent('team=ml,tier!=batch,workflows.argoproj.io/phase=Failed'),
      'name contains': '&nameFilter=Contains&listOptions.fieldSelector=' + encodeURIComponent('metadata.name=-0077'),
    };
    const out = [];
    for (const [label, query] of Object.entries(queries)) {
      const times = [];
      let body = null;
      for (let i = 0; i < 5; i++) {
        const t = Date.now();
        const response = await page.request.get(api + query);
        assert(response.ok(), `${label}: HTTP ${response.status()}`);
        body = await response.json();
        times.push(Date.now() - t);
      }
      assert(body.items.length === 50, `${label}: ${body.items.length} items`);
      times.sort((a, b) => a - b);
      out.push(`${label} ${times[2]} ms`);
    }
    return out.join(', ');
  });
  await check('big-name-search', async () => {
    await openList();
    await page.selectOption('#f-match', 'Contains');
    // BigArchiveBrowserTest's copies are named <name>-0001 … <name>-0099.
    await page.fill('#f-name', '-0077');
    const [list, ms] = await timed(() => afterNavigation(() => page.click('button[type=submit]')));
    assert(list.length === 50, `expected a full page of names containing "-0077", got ${list.length}`);
    assert(list.every((r) => r.name.includes('-0077')), 'contains not honoured');
    await shot('big-name-contains', false);
    return `a page of names containing "-0077" in ${ms} ms`;
  });
}

async function readonly(url) {
  await check('read-only-delete', async () => {
    await page.goto('about:blank');
    await page.goto(`${url}#/`);
    await page.waitForFunction(() => document.body.dataset.app === 'ready');
    const list = await listState();
    assert(list.length > 0, 'no rows');
    const target = list[0];
    await page.click(`${rows}[data-uid="${target.uid}"] th.name a`);
    await page.waitForSelector('.detail-view[data-state="loaded"]');
    const info = await page.request.get(`${url}api/v1/info`);
    if (info.status() === 200) {
      assert((await info.json()).readOnly === true, '/api/v1/info does not say readOnly');
      assert(await page.locator('.delete-button').count() === 0, 'Delete is offered on a read-only server');
      assert((await page.innerText('.detail-actions')).includes('Read-only'), 'no read-only hint');
      await shot('detail-read-only', false);
      return 'Delete hidden (server says readOnly)';
    }
    // A server without /api/v1/info: Delete is offered, and the server's refusal is shown.
    await page.click('.delete-button');
    await page.click('dialog.confirm .confirm-delete');
    const panel = page.locator('dialog.confirm .error-panel');
    await panel.waitFor();
    const message = await panel.innerText();
    assert(message.includes('403'), `dialog shows "${message}"`);
    await shot('detail-read-only', false);
    await page.click('dialog.confirm button:has-text("Cancel")');
    const status = (await page.request.get(`${url}api/v1/archived-workflows/${target.uid}`)).status();
    assert(status === 200, `the workflow is gone (${status})`);
    return `no /api/v1/info (HTTP ${info.status()}); the server's refusal is shown: ${message.replace(/\s+/g, ' ').slice(0, 160)}`;
  });
}

async function signin(url) {
  let target = null;
  await check('sign-in', async () => {
    await page.goto('about:blank');
    await page.goto(`${url}#/`);
    await page.waitForFunction(() => document.body.dataset.app === 'ready');
    await page.waitForSelector('#signin-form');
    assert(await page.locator('.list-view').count() === 0, 'the list shows before sign-in');
    await page.fill('#signin-token', 'not-a-valid-token');
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#signin-form .signin-error .error-message');
    const refusal = await page.innerText('#signin-form .signin-error');
    assert(refusal.includes('401'), `a bad token is explained as "${refusal}"`);
    assert(await page.evaluate(() => sessionStorage.getItem('archivist.apiToken')) === null,
      'a refused token is kept');
    await page.fill('#signin-token', signInToken);
    await page.click('#signin-form button[type=submit]');
    const list = await listState();
    assert(list.length > 0, 'no rows after sign-in');
    assert(list.every((r) => r.namespace === signInNamespace),
      `rows outside ${signInNamespace}: ${[...new Set(list.map((r) => r.namespace))]}`);
    const who = await page.innerText('#user-panel');
    assert(who.includes('viewer') && who.includes(signInNamespace), `the header says "${who}"`);
    assert(await page.evaluate(() => localStorage.length) === 0, 'something went to localStorage');
    await shot('signed-in', false);
    target = list[0];
    return `bad token refused with 401; signed in as viewer, ${list.length} rows, all in ${signInNamespace}`;
  });
  await check('delete-forbidden-403', async () => {
    assert(target, 'no row from the sign-in check');
    await page.click(`${rows}[data-uid="${target.uid}"] th.name a`);
    await page.waitForSelector('.detail-view[data-state="loaded"]');
    await page.click('.delete-button');
    await page.click('dialog.confirm .confirm-delete');
    const panel = page.locator('dialog.confirm .error-panel[data-error="forbidden"]');
    await panel.waitFor();
    const message = await panel.innerText();
    assert(message.includes('403') && message.includes('may not delete'), `the dialog says "${message}"`);
    await shot('delete-forbidden', false);
    await page.click('dialog.confirm button:has-text("Cancel")');
    const status = (await page.request.get(`${url}api/v1/archived-workflows/${target.uid}`,
      { headers: { Authorization: `Bearer ${signInToken}` } })).status();
    assert(status === 200, `the workflow is gone (${status})`);
    return `refusal shown: ${message.replace(/\s+/g, ' ').slice(0, 160)}`;
  });
  await check('sign-out', async () => {
    await page.goto(`${url}#/`);
    await page.waitForSelector('#user-panel .sign-out');
    await page.click('#user-panel .sign-out');
    await page.waitForSelector('#signin-form');
    assert(await page.locator('.list-view').count() === 0, 'the list is still shown');
    assert(await page.evaluate(() => sessionStorage.getItem('archivist.apiToken')) === null,
      'the token is still kept');
    assert(await page.locator('#user-panel').isHidden(), 'the header still names a user');
    await page.reload();
    await page.waitForSelector('#signin-form');
    return 'token forgotten; a reload asks again';
  });
}

try {
  if (mode === 'big') await big();
  else if (mode === 'readonly') await readonly(baseUrl);
  else {
    await functional();
    if (readOnlyUrlArg) await readonly(readOnlyUrlArg.endsWith('/') ? readOnlyUrlArg : `${readOnlyUrlArg}/`);
    if (signInUrlArg) await signin(signInUrlArg.endsWith('/') ? signInUrlArg : `${signInUrlArg}/`);
  }
  await check('no-script-errors', async () => {
    // Aborted requests in the api-down check log console errors on purpose.
    // So do the refused token (401) and delete (403) of the sign-in checks.
    const real = pageErrors.filter((m) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(m));
    assert(real.length === 0, real.join(' | '));
    return 'none';
  });
} finally {
  await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`SUMMARY checks=${results.length} failed=${failed} screenshots=${shotDir}`);
process.exit(failed === 0 ? 0 : 1);
