// One archived workflow: summary, labels, annotations, parameters, the node tree, the raw
// document (JSON or YAML, with Copy), and Delete behind a confirmation dialog.

import { deleteWorkflow, getWorkflow } from './api.js';
import { h, replace } from './dom.js';
import { formatDuration, formatTime } from './format.js';
import { buildNodeTree, countNodes, renderNodeTree } from './nodeTree.js';
import { errorPanel, phaseBadge } from './widgets.js';
import { toYaml } from './yaml.js';

/**
 * Renders into `main`. `ctx`: { backHash, readOnly, onDeleted(name) } — `onDeleted` is called
 * after the server confirmed the delete.
 */
export async function showDetail(main, uid, ctx) {
  const back = h('a', { class: 'back', href: ctx.backHash }, '← All workflows');
  const view = h('article', { class: 'detail-view', 'aria-busy': 'true' }, back,
    h('p', { role: 'status' }, 'Loading…'));
  replace(main, view);
  let wf;
  try {
    wf = await getWorkflow(uid);
  } catch (e) {
    view.removeAttribute('aria-busy');
    view.dataset.state = 'error';
    const body = e.status === 404
      ? errorPanel('Workflow not found', `No archived workflow has uid ${uid}. It may have been deleted.`, null, 'not-found')
      : errorPanel(null, null, () => showDetail(main, uid, ctx), null, e);
    replace(view, back, body);
    return;
  }
  if (!ctx.isCurrent()) return;
  const md = wf.metadata || {};
  const st = wf.status || {};
  const name = md.name || uid;
  document.title = `${name} — Archivist`;
  replace(view, back,
    h('header', { class: 'detail-header' },
      h('h1', { id: 'detail-heading' }, name),
      phaseBadge(st.phase),
      h('div', { class: 'detail-actions' },
        ctx.readOnly ? h('span', { class: 'hint' }, 'Read-only archive') : h('button', {
          type: 'button',
          class: 'danger delete-button',
          onclick: () => confirmDelete(uid, name, md.namespace, ctx),
        }, 'Delete…'))),
    summary(uid, md, st),
    keyValues('Labels', 'labels', md.labels),
    keyValues('Annotations', 'annotations', md.annotations),
    parameters(wf.spec),
    nodes(st.nodes, md.name),
    raw(wf));
  view.setAttribute('aria-labelledby', 'detail-heading');
  view.removeAttribute('aria-busy');
  view.dataset.state = 'loaded';
}

function section(title, cls, ...content) {
  const id = `sec-${cls}`;
  return h('section', { class: `panel ${cls}`, 'aria-labelledby': id },
    h('h2', { id }, title), ...content);
}

function summary(uid, md, st) {
  const rows = [
    ['Namespace', md.namespace],
    ['UID', uid],
    ['Started (UTC)', formatTime(st.startedAt)],
    ['Finished (UTC)', formatTime(st.finishedAt)],
    ['Duration', formatDuration(st.startedAt, st.finishedAt)],
    ['Progress', st.progress],
    ['Created (UTC)', formatTime(md.creationTimestamp)],
    ['Message', st.message],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return section('Summary', 'summary',
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
}

function keyValues(title, cls, map) {
  const entries = Object.entries(map || {}).sort(([a], [b]) => a.localeCompare(b));
  return section(title, cls, entries.length === 0
    ? h('p', { class: 'hint' }, `No ${title.toLowerCase()}.`)
    : h('dl', { class: 'kv' }, entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
}

function parameters(spec) {
  const params = (spec && spec.arguments && spec.arguments.parameters) || [];
  if (params.length === 0) return section('Parameters', 'parameters', h('p', { class: 'hint' }, 'No parameters.'));
  return section('Parameters', 'parameters',
    h('div', { class: 'table-wrap' }, h('table', { class: 'params' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'))),
      h('tbody', {}, params.map((p) => h('tr', {},
        h('th', { scope: 'row' }, p.name || ''),
        h('td', {}, h('code', {}, p.value !== undefined ? String(p.value) : (p.valueFrom ? JSON.stringify(p.valueFrom) : '')))))))));
}

function nodes(nodeMap, workflowName) {
  const roots = buildNodeTree(nodeMap, workflowName);
  const count = countNodes(roots);
  return section(`Nodes (${count})`, 'nodes',
    count === 0 ? h('p', { class: 'hint' }, 'This workflow has no node status.') : renderNodeTree(roots));
}

function raw(wf) {
  const json = JSON.stringify(wf, null, 2);
  let yaml = null;
  let format = 'json';
  const pre = h('pre', { class: 'raw', tabindex: '0', 'aria-label': 'Workflow document' }, json);
  const copied = h('span', { class: 'copied', role: 'status', 'aria-live': 'polite' });
  const jsonButton = h('button', { type: 'button', 'aria-pressed': 'true', onclick: () => pick('json') }, 'JSON');
  const yamlButton = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => pick('yaml') }, 'YAML');
  function pick(f) {
    format = f;
    if (f === 'yaml' && yaml === null) yaml = toYaml(wf);
    pre.textContent = f === 'yaml' ? yaml : json;
    jsonButton.setAttribute('aria-pressed', String(f === 'json'));
    yamlButton.setAttribute('aria-pressed', String(f === 'yaml'));
  }
  const copy = h('button', {
    type: 'button',
    class: 'copy-button',
    onclick: async () => {
      const ok = await copyText(format === 'yaml' ? yaml : json);
      copied.textContent = ok ? `Copied ${format.toUpperCase()}.` : 'Copy failed: select the text and copy it by hand.';
    },
  }, 'Copy');
  return section('Workflow document', 'raw-section',
    h('div', { class: 'raw-tools' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Format' }, jsonButton, yamlButton),
      copy, copied),
    pre);
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused: fall back to the selection below.
  }
  const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function confirmDelete(uid, name, namespace, ctx) {
  const failure = h('div', { class: 'dialog-error' });
  const confirm = h('button', { type: 'submit', value: 'delete', class: 'danger confirm-delete' }, 'Delete');
  const cancel = h('button', { type: 'submit', value: 'cancel', class: 'secondary', autofocus: true }, 'Cancel');
  const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, `Delete ${name}?`),
      h('p', { id: 'confirm-text' },
        `This removes ${namespace ? `${namespace}/` : ''}${name} (uid ${uid}) from the archive for good. `
        + 'A workflow still in the cluster is not touched.'),
      failure,
      h('div', { class: 'dialog-actions' }, cancel, confirm)));
  dialog.addEventListener('close', () => dialog.remove());
  dialog.querySelector('form').addEventListener('submit', async (e) => {
    if (e.submitter !== confirm) return; // Cancel: the dialog form closes it.
    e.preventDefault();
    confirm.disabled = true;
    cancel.disabled = true;
    confirm.textContent = 'Deleting…';
    try {
      await deleteWorkflow(uid);
      dialog.close('deleted');
      ctx.onDeleted(name);
    } catch (err) {
      replace(failure, errorPanel(null, null, null, null, err));
      confirm.disabled = false;
      cancel.disabled = false;
      confirm.textContent = 'Delete';
    }
  });
  document.body.appendChild(dialog);
  dialog.showModal();
}
