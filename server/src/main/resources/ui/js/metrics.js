// The status panel: a few figures read from /metrics (Prometheus text format), refreshed every
// few seconds while the page is visible.

import { metricsText } from './api.js';
import { h, replace } from './dom.js';
import { formatBytes, formatCount, formatSeconds } from './format.js';

const REFRESH_MS = 5000;

/** [{name, labels: {k: v}, value}] from Prometheus text; comments and bad lines are skipped. */
export function parsePrometheus(text) {
  const samples = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const value = parseValue(m[4]);
    if (value === null) continue;
    samples.push({ name: m[1], labels: parseLabels(m[3] || ''), value });
  }
  return samples;
}

function parseValue(s) {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}

function parseLabels(s) {
  const labels = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  let m;
  while ((m = re.exec(s)) !== null) {
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function sum(samples, name, match = () => true) {
  const found = samples.filter((s) => s.name === name && match(s.labels));
  return found.length ? found.reduce((acc, s) => acc + s.value, 0) : null;
}

/**
 * The panel's figures; a figure the server does not export (e.g. queue metrics under
 * `archivist serve`, which runs no controller) is null.
 */
export function summarize(samples) {
  const archived = sum(samples, 'archivist_workflows_archived_total');
  const depth = sum(samples, 'workqueue_depth', (l) => l.name === 'archive');
  const heap = sum(samples, 'archivist_heap_after_gc_bytes');
  return { archived, depth, lagSeconds: lag(samples), heap };
}

/** Mean lag from _sum/_count; else the highest quantile a summary exports. */
function lag(samples) {
  const total = sum(samples, 'archivist_archive_lag_seconds_sum');
  const count = sum(samples, 'archivist_archive_lag_seconds_count');
  if (total !== null && count) return total / count;
  const quantiles = samples
    .filter((s) => s.name === 'archivist_archive_lag_seconds' && s.labels.quantile !== undefined)
    .filter((s) => Number.isFinite(s.value))
    .sort((a, b) => Number(b.labels.quantile) - Number(a.labels.quantile));
  return quantiles.length ? quantiles[0].value : null;
}

/** Starts refreshing `panel`; returns a function that stops it. */
export function startStatusPanel(panel) {
  let timer = null;
  let inFlight = null;

  async function refresh() {
    if (inFlight) return;
    const controller = new AbortController();
    inFlight = controller;
    const timeout = setTimeout(() => controller.abort(), REFRESH_MS);
    try {
      render(panel, summarize(parsePrometheus(await metricsText(controller.signal))));
    } catch (e) {
      renderUnavailable(panel, e);
    } finally {
      clearTimeout(timeout);
      inFlight = null;
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = document.hidden ? null : setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener('visibilitychange', () => {
    schedule();
    if (!document.hidden) refresh();
  });
  refresh();
  schedule();
  return () => clearInterval(timer);
}

function stat(label, value, title, key) {
  return h('div', { class: 'stat', dataset: { metric: key }, title },
    h('dt', {}, label),
    h('dd', {}, value === null ? '—' : value));
}

function render(panel, m) {
  panel.classList.remove('unavailable');
  replace(panel, h('dl', { class: 'stats' },
    stat('Archived', m.archived === null ? null : formatCount(m.archived),
      'archivist_workflows_archived_total', 'archived'),
    stat('Queue', m.depth === null ? null : formatCount(m.depth),
      'workqueue_depth{name="archive"}', 'depth'),
    stat('Lag', m.lagSeconds === null ? null : formatSeconds(m.lagSeconds),
      'archivist_archive_lag_seconds: mean from finishedAt to commit', 'lag'),
    stat('Heap after GC', m.heap === null ? null : formatBytes(m.heap),
      'archivist_heap_after_gc_bytes: heap in use right after the latest garbage collection',
      'heap')));
}

function renderUnavailable(panel, e) {
  panel.classList.add('unavailable');
  const why = e && e.name === 'AbortError' ? 'timed out' : (e && e.message) || 'unknown error';
  replace(panel, h('p', { class: 'stats-unavailable', title: why }, 'Metrics unavailable'));
}
