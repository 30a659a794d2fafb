// A development stand-in for the Archivist server: serves the UI's assets from the server's
// resources and answers the archive API from generated, in-memory workflows. For working on the
// page without Java or a database; the real browser test (BrowserTest) runs against the real
// server and PostgreSQL.
//
//   node ui-tests/mock-server.mjs [port] [count]     then open http://127.0.0.1:<port>/

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const assets = path.resolve(here, '../server/src/main/resources/ui');
const port = Number(process.argv[2] || 8088);
const count = Number(process.argv[3] || 230);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

function generate(n) {
  const namespaces = ['ci', 'data', 'ml-training', 'default'];
  const teams = ['platform', 'data', 'ml'];
  const phases = ['Succeeded', 'Succeeded', 'Succeeded', 'Failed', 'Error'];
  const base = Date.parse('2026-11-01T00:00:00Z');
  const out = [];
  for (let i = 0; i < n; i++) {
    const name = `${['build', 'etl', 'train', 'report'][i % 4]}-${String(i).padStart(5, '0')}`;
    const phase = phases[i % phases.length];
    const started = new Date(base + i * 600_000);
    const finished = new Date(started.getTime() + (30 + (i * 37) % 3600) * 1000);
    const uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const nodes = {};
    const kids = [`${name}-1`, `${name}-2`];
    nodes[name] = { id: name, name, displayName: name, type: 'DAG', phase, startedAt: started.toISOString(), finishedAt: finished.toISOString(), children: kids };
    kids.forEach((id, k) => {
      nodes[id] = { id, name: `${name}.step-${k}`, displayName: `step-${k}`, type: 'Pod', phase: k === 1 ? phase : 'Succeeded', startedAt: started.toISOString(), finishedAt: finished.toISOString(), message: k === 1 && phase !== 'Succeeded' ? 'failed with exit code 1' : undefined };
    });
    out.push({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow',
      metadata: { name, namespace: namespaces[i % namespaces.length], uid, creationTimestamp: started.toISOString(),
        labels: { 'workflows.argoproj.io/phase': phase, 'workflows.argoproj.io/completed': 'true', team: teams[i % teams.length], env: i % 2 ? 'prod' : 'dev' },
        annotations: { 'example.com/owner': `owner-${i % 7}` } },
      spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'revision', value: `abc${i}` }] } },
      status: { phase, startedAt: started.toISOString(), finishedAt: finished.toISOString(), progress: '2/2', message: phase === 'Succeeded' ? undefined : 'child failed', nodes },
    });
  }
  return out.sort((a, b) => b.status.startedAt.localeCompare(a.status.startedAt) || b.metadata.uid.localeCompare(a.metadata.uid));
}

let workflows = generate(count);

function parseSelector(s) {
  const reqs = [];
  for (const part of (s || '').split(/,(?![^(]*\))/).map((p) => p.trim()).filter(Boolean)) {
    let m;
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part))) reqs.push((l) => (m[2] === '!=' ? l[m[1]] !== m[3] : l[m[1]] === m[3]));
    else if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part))) {
      const vals = m[3].split(',').map((v) => v.trim());
      reqs.push((l) => (m[2] === 'in' ? vals.includes(l[m[1]]) : !vals.includes(l[m[1]])));
    } else if ((m = /^!([\w./-]+)$/.exec(part))) reqs.push((l) => !(m[1] in l));
    else if ((m = /^([\w./-]+)$/.exec(part))) reqs.push((l) => m[1] in l);
    else throw new Error(`invalid label selector "${s}": cannot parse "${part}"`);
  }
  return (labels) => reqs.every((r) => r(labels));
}

function list(q) {
  const match = parseSelector(q.get('listOptions.labelSelector'));
  const ns = q.get('namespace');
  let name = q.get('namePrefix') || '';
  let mode = 'Prefix';
  const fields = (q.get('listOptions.fieldSelector') || '').split(',').filter(Boolean);
  let after = null; let before = null;
  for (const f of fields) {
    let m;
    if ((m = /^metadata\.name==?(.*)$/.exec(f))) { name = m[1]; mode = q.get('nameFilter') || 'Exact'; }
    else if ((m = /^spec\.startedAt>(.+)$/.exec(f))) after = Date.parse(m[1]);
    else if ((m = /^spec\.startedAt<(.+)$/.exec(f))) before = Date.parse(m[1]);
    else throw new Error(`unsupported field selector "${f}"`);
  }
  const limit = Math.min(Number(q.get('listOptions.limit') || 50), 1000);
  const cont = q.get('listOptions.continue');
  const cursor = cont ? JSON.parse(Buffer.from(cont, 'base64url').toString()) : null;
  const hits = workflows.filter((w) => {
    const md = w.metadata; const t = Date.parse(w.status.startedAt);
    if (ns && md.namespace !== ns) return false;
    if (name && !(mode === 'Prefix' ? md.name.startsWith(name) : mode === 'Contains' ? md.name.toLowerCase().includes(name.toLowerCase()) : md.name === name)) return false;
    if (after !== null && !(t > after)) return false;
    if (before !== null && !(t < before)) return false;
    if (cursor && !(w.status.startedAt < cursor.s || (w.status.startedAt === cursor.s && md.uid < cursor.u))) return false;
    return match(md.labels);
  });
  const page = hits.slice(0, limit);
  const more = hits.length > limit;
  const last = page[page.length - 1];
  return {
    metadata: more ? { continue: Buffer.from(JSON.stringify({ s: last.status.startedAt, u: last.metadata.uid })).toString('base64url') } : {},
    items: page.map((w) => ({ metadata: w.metadata, spec: { arguments: w.spec.arguments }, status: { phase: w.status.phase, startedAt: w.status.startedAt, finishedAt: w.status.finishedAt, progress: w.status.progress, message: w.status.message } })),
  };
}

// The real server's policy, so the page is developed under the same rules.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Security-Policy': CSP });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  try {
    if (p === '/api/v1/archived-workflows' && req.method === 'GET') return send(res, 200, list(url.searchParams));
    const one = /^\/api\/v1\/archived-workflows\/([^/]+)$/.exec(p);
    if (one) {
      const uid = decodeURIComponent(one[1]);
      const wf = workflows.find((w) => w.metadata.uid === uid);
      if (!wf) return send(res, 404, { code: 5, message: `archived workflow ${uid} not found` });
      if (req.method === 'DELETE') { workflows = workflows.filter((w) => w !== wf); return send(res, 200, {}); }
      return send(res, 200, wf);
    }
    if (p === '/api/v1/archived-workflows-label-keys') {
      return send(res, 200, { items: [...new Set(workflows.flatMap((w) => Object.keys(w.metadata.labels)))].sort() });
    }
    if (p === '/metrics') {
      return send(res, 200, [
        '# TYPE archivist_workflows_archived_total counter', `archivist_workflows_archived_total ${count}`,
        'workqueue_depth{name="archive"} 3',
        'archivist_archive_lag_seconds_count 230', 'archivist_archive_lag_seconds_sum 575.0',
        'jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2.4E7', 'jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.2E7',
        'archivist_heap_after_gc_bytes 1.1E7',
        'jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7', ''].join('\n'), 'text/plain; version=0.0.4');
    }
    if (p.startsWith('/api/')) return send(res, 404, { code: 5, message: `no such endpoint ${p}` });
    const file = path.join(assets, p === '/' ? 'index.html' : p);
    if (!file.startsWith(assets) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return send(res, 404, 'not found', 'text/plain');
    return send(res, 200, fs.readFileSync(file, 'utf8'), TYPES[path.extname(file)] || 'application/octet-stream');
  } catch (e) {
    return send(res, 400, { code: 3, message: e.message });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`mock archive on http://127.0.0.1:${port}/ (${count} workflows)`));
