// The tree of a workflow's status.nodes. Argo links nodes by `children` ids; the root is the node
// whose id is the workflow's name (or, failing that, every node no other node lists as a child).
// Stored workflows can be partial or odd (a child id with no node, a cycle), so every node is shown
// exactly once and unknown ids are skipped rather than failing the page.

import { h } from './dom.js';
import { formatDuration, formatTime, phaseInfo } from './format.js';

/** [{id, node, children: [...]}] roots, each node once. */
export function buildNodeTree(nodes, workflowName) {
  const byId = new Map(Object.entries(nodes || {}).filter(([, n]) => n && typeof n === 'object'));
  if (byId.size === 0) return [];
  const childIds = new Set();
  for (const node of byId.values()) {
    for (const child of node.children || []) childIds.add(child);
  }
  const rootIds = byId.has(workflowName)
    ? [workflowName]
    : [...byId.keys()].filter((id) => !childIds.has(id)).sort(byStart(byId));
  const seen = new Set();
  const build = (id) => {
    seen.add(id);
    const node = byId.get(id);
    const children = (node.children || [])
      .filter((c) => byId.has(c) && !seen.has(c))
      .map((c) => build(c));
    return { id, node, children };
  };
  const roots = rootIds.map(build);
  // Nodes no root reaches (e.g. onExit handlers, or a cycle): shown after, so none is hidden.
  for (const id of [...byId.keys()].sort(byStart(byId))) {
    if (!seen.has(id)) roots.push(build(id));
  }
  return roots;
}

function byStart(byId) {
  return (a, b) => String(byId.get(a).startedAt || '').localeCompare(String(byId.get(b).startedAt || ''));
}

export function countNodes(roots) {
  return roots.reduce((n, r) => n + 1 + countNodes(r.children), 0);
}

/** A nested list; a node with children is a <details> (open), so it folds with the keyboard. */
export function renderNodeTree(roots) {
  return h('ul', { class: 'node-tree', 'aria-label': 'Workflow nodes' }, roots.map(renderNode));
}

function renderNode(entry) {
  const { node } = entry;
  const phase = node.phase || 'Unknown';
  const info = phaseInfo(phase);
  const duration = formatDuration(node.startedAt, node.finishedAt);
  const row = h('span', { class: 'node-row' },
    h('span', { class: `phase-dot phase-${info.cls}`, title: phase, 'aria-hidden': 'true' }, info.icon),
    h('span', { class: 'node-name' }, node.displayName || node.name || entry.id),
    h('span', { class: 'visually-hidden' }, `, ${phase}`),
    node.type ? h('span', { class: 'node-type' }, node.type) : null,
    h('span', { class: `node-phase phase-text-${info.cls}` }, phase),
    duration ? h('span', { class: 'node-duration', title: nodeTimes(node) }, duration) : null,
    node.message ? h('span', { class: 'node-message' }, node.message) : null);
  const attrs = { class: 'node', dataset: { nodeId: entry.id, phase } };
  if (entry.children.length === 0) return h('li', attrs, h('div', { class: 'node-leaf' }, row));
  return h('li', attrs,
    h('details', { open: true },
      h('summary', {}, row),
      h('ul', {}, entry.children.map(renderNode))));
}

function nodeTimes(node) {
  return `started ${formatTime(node.startedAt)} UTC, finished ${formatTime(node.finishedAt)} UTC`;
}
