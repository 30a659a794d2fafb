// Unit tests of the page's pure modules (no browser): `node --test ui-tests/unit.test.mjs`.
// Run from JUnit by dev.archivist.server.ui.UiModulesTest.

import { test } from 'node:test';
import assert from 'node:assert/strict';

const ui = new URL('../server/src/main/resources/ui/js/', import.meta.url);
const { apiQuery, emptyFilters, listHash, parseHash, detailHash } = await import(new URL('state.js', ui));
const { buildNodeTree, countNodes } = await import(new URL('nodeTree.js', ui));
const { parsePrometheus, summarize } = await import(new URL('metrics.js', ui));
const { formatDuration, formatSeconds, formatTime, formatBytes } = await import(new URL('format.js', ui));
const { toYaml } = await import(new URL('yaml.js', ui));

test('apiQuery_combinesPhaseAndSelector_andMapsNameModes', () => {
  const f = { ...emptyFilters(), namespace: 'ci', phase: 'Failed', selector: 'team=ml', name: 'etl', match: 'Contains', after: '2026-11-01T10:00', before: '2026-11-02T00:00' };
  const q = new URLSearchParams(apiQuery(f));
  assert.equal(q.get('namespace'), 'ci');
  assert.equal(q.get('listOptions.labelSelector'), 'workflows.argoproj.io/phase=Failed,team=ml');
  assert.equal(q.get('listOptions.fieldSelector'), 'metadata.name=etl,spec.startedAt>2026-11-01T10:00:00Z,spec.startedAt<2026-11-02T00:00:00Z');
  assert.equal(q.get('nameFilter'), 'Contains');
  assert.equal(q.get('namePrefix'), null);
  assert.equal(q.get('listOptions.limit'), '50');
  assert.equal(q.get('listOptions.continue'), null);
  const prefix = new URLSearchParams(apiQuery({ ...emptyFilters(), name: 'build-', match: 'Prefix', pages: ['a', 'b'] }));
  assert.equal(prefix.get('namePrefix'), 'build-');
  assert.equal(prefix.get('nameFilter'), null);
  assert.equal(prefix.get('listOptions.fieldSelector'), null);
  assert.equal(prefix.get('listOptions.continue'), 'b', 'the last token of the stack is the current page');
});

test('listHash_roundTripsThroughParseHash_withTokensInOrder', () => {
  const f = { ...emptyFilters(), namespace: 'a b', phase: 'Error', name: 'x', match: 'Exact', selector: 'k in (a,b),!z', after: '2026-01-02T03:04', limit: 100, pages: ['t1==', 't/2+'] };
  const back = parseHash(listHash(f));
  assert.equal(back.view, 'list');
  assert.deepEqual(back.filters, f);
  assert.equal(listHash(emptyFilters()), '#/');
});

test('parseHash_ignoresInvalidValues_andReadsDetailRoutes', () => {
  const r = parseHash('#/?phase=Bogus&limit=7&match=Nope&after=yesterday');
  assert.deepEqual(r.filters, emptyFilters());
  assert.deepEqual(parseHash(detailHash('u/1 2')), { view: 'detail', uid: 'u/1 2' });
  assert.equal(parseHash('').view, 'list');
});

test('buildNodeTree_startsAtTheWorkflowNode_andShowsEveryNodeOnce', () => {
  const nodes = {
    wf: { id: 'wf', children: ['a', 'b', 'missing'] },
    a: { id: 'a', children: ['c'] },
    b: { id: 'b', children: ['c'] },
    c: { id: 'c', children: ['a'] },
    exit: { id: 'exit', startedAt: '2026-01-01T00:00:00Z' },
  };
  const roots = buildNodeTree(nodes, 'wf');
  assert.deepEqual(roots.map((r) => r.id), ['wf', 'exit']);
  assert.deepEqual(roots[0].children.map((c) => c.id), ['a', 'b']);
  assert.deepEqual(roots[0].children[0].children.map((c) => c.id), ['c']);
  assert.deepEqual(roots[0].children[1].children, [], 'c is shown once, under a');
  assert.equal(countNodes(roots), 5);
});

test('buildNodeTree_withoutAWorkflowNode_startsAtParentlessNodes', () => {
  const nodes = {
    x: { id: 'x', startedAt: '2026-01-02T00:00:00Z', children: ['y'] },
    y: { id: 'y' },
    w: { id: 'w', startedAt: '2026-01-01T00:00:00Z' },
  };
  assert.deepEqual(buildNodeTree(nodes, 'absent').map((r) => r.id), ['w', 'x']);
  assert.deepEqual(buildNodeTree(undefined, 'wf'), []);
});

test('summarize_readsMicrometerPrometheusText', () => {
  const text = [
    '# HELP archivist_workflows_archived_total',
    '# TYPE archivist_workflows_archived_total counter',
    'archivist_workflows_archived_total 320.0',
    'workqueue_depth{name="archive"} 3.0',
    'workqueue_depth{name="other"} 40.0',
    'archivist_archive_lag_seconds_count 4',
    'archivist_archive_lag_seconds_sum 10.0',
    'archivist_archive_lag_seconds_max 5.0',
    'jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7',
    'jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.0E7',
    '# HELP archivist_heap_after_gc_bytes Heap after GC: bytes in use in the heap right after the most recent garbage collection',
    'archivist_heap_after_gc_bytes 2.5E7',
    'jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7',
    'garbage line',
  ].join('\n');
  assert.deepEqual(summarize(parsePrometheus(text)), { archived: 320, depth: 3, lagSeconds: 2.5, heap: 2.5e7 });
  assert.deepEqual(summarize(parsePrometheus('')), { archived: null, depth: null, lagSeconds: null, heap: null });
  const quantiles = 'archivist_archive_lag_seconds{quantile="0.5"} 1.0\narchivist_archive_lag_seconds{quantile="0.99"} 9.0\n';
  assert.equal(summarize(parsePrometheus(quantiles)).lagSeconds, 9);
});

test('parsePrometheus_unescapesLabelValues', () => {
  const [s] = parsePrometheus('m{a="x\\"y",b="1\\\\2"} 1');
  assert.deepEqual(s.labels, { a: 'x"y', b: '1\\2' });
});

test('format_durationsTimesAndSizes', () => {
  assert.equal(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T01:02:03Z'), '1h 02m');
  assert.equal(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:03:07Z'), '3m 07s');
  assert.equal(formatDuration('2026-01-01T00:00:10Z', '2026-01-01T00:00:00Z'), '');
  assert.equal(formatDuration(undefined, '2026-01-01T00:00:00Z'), '');
  assert.equal(formatSeconds(0.25), '250ms');
  assert.equal(formatSeconds(2.5), '2.5s');
  assert.equal(formatSeconds(90000), '1d 01h');
  assert.equal(formatTime('2026-11-27T14:03:12Z'), '2026-11-27 14:03:12');
  assert.equal(formatTime('nonsense'), '');
  assert.equal(formatBytes(3e7), '29 MiB');
});

test('toYaml_quotesWhatYamlWouldMisread', () => {
  const yaml = toYaml({ a: 'plain', b: 'true', c: '123', d: '', e: [1, { f: 'g', h: [] }], i: 'two\nlines', j: {}, k: null, 'l m': 'x: y' });
  assert.equal(yaml, [
    'a: plain',
    'b: "true"',
    'c: "123"',
    'd: ""',
    'e:',
    '  - 1',
    '  - f: g',
    '    h: []',
    'i: |-',
    '  two',
    '  lines',
    'j: {}',
    'k: null',
    'l m: "x: y"',
    '',
  ].join('\n'));
});
