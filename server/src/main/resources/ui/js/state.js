// The page's state lives in the URL hash, so a link can be shared and a reload keeps the view:
//   #/?namespace=ci&phase=Failed&name=build-&match=Prefix&selector=team%3Dml&after=...&before=...
//      &limit=50&p=<token1>&p=<token2>      the list; each `p` is one `continue` token
//   #/workflows/<uid>                         one workflow
// The `p` values are the stack of tokens that led to the current page: the last one is the
// current page's token, Previous drops it, Next pushes the server's next token.

export const PHASE_LABEL = 'workflows.argoproj.io/phase';
export const PHASES = ['Succeeded', 'Failed', 'Error'];
export const NAME_MATCHES = ['Prefix', 'Contains', 'Exact'];
export const LIMITS = [20, 50, 100, 200];

const DEFAULT_LIMIT = 50;

export function emptyFilters() {
  return {
    namespace: '',
    phase: '',
    name: '',
    match: 'Prefix',
    selector: '',
    after: '',
    before: '',
    limit: DEFAULT_LIMIT,
    pages: [],
  };
}

/** { view: 'list', filters } | { view: 'detail', uid } from a location hash. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const [path, query = ''] = splitOnce(raw, '?');
  const detail = /^\/?workflows\/([^/?]+)$/.exec(path);
  if (detail) return { view: 'detail', uid: decodeURIComponent(detail[1]) };
  return { view: 'list', filters: filtersFrom(new URLSearchParams(query)) };
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function filtersFrom(params) {
  const f = emptyFilters();
  f.namespace = (params.get('namespace') || '').trim();
  const phase = params.get('phase') || '';
  f.phase = PHASES.includes(phase) ? phase : '';
  f.name = (params.get('name') || '').trim();
  const match = params.get('match');
  f.match = NAME_MATCHES.includes(match) ? match : 'Prefix';
  f.selector = (params.get('selector') || '').trim();
  f.after = validLocalTime(params.get('after'));
  f.before = validLocalTime(params.get('before'));
  const limit = Number(params.get('limit'));
  f.limit = LIMITS.includes(limit) ? limit : DEFAULT_LIMIT;
  f.pages = params.getAll('p').filter((t) => t !== '');
  return f;
}

/** Accepts 'YYYY-MM-DDTHH:MM' (what <input type=datetime-local> gives), optionally with seconds. */
function validLocalTime(value) {
  return value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? value : '';
}

/** The hash of a list view; defaults are left out so links stay short. */
export function listHash(f) {
  const params = new URLSearchParams();
  if (f.namespace) params.set('namespace', f.namespace);
  if (f.phase) params.set('phase', f.phase);
  if (f.name) {
    params.set('name', f.name);
    params.set('match', f.match);
  }
  if (f.selector) params.set('selector', f.selector);
  if (f.after) params.set('after', f.after);
  if (f.before) params.set('before', f.before);
  if (f.limit !== DEFAULT_LIMIT) params.set('limit', String(f.limit));
  for (const token of f.pages) params.append('p', token);
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

export function detailHash(uid) {
  return `#/workflows/${encodeURIComponent(uid)}`;
}

/** The query string of GET /api/v1/archived-workflows for these filters (Argo's parameter names). */
export function apiQuery(f) {
  const params = new URLSearchParams();
  if (f.namespace) params.set('namespace', f.namespace);
  const selector = [f.phase ? `${PHASE_LABEL}=${f.phase}` : '', f.selector]
    .filter((s) => s !== '')
    .join(',');
  if (selector) params.set('listOptions.labelSelector', selector);
  const fields = [];
  // As Argo's UI: a prefix goes in namePrefix; Exact and Contains match the field selector's
  // metadata.name as nameFilter says. (Kubernetes names hold no commas, so joining is safe.)
  if (f.name && f.match === 'Prefix') params.set('namePrefix', f.name);
  if (f.name && f.match !== 'Prefix') {
    fields.push(`metadata.name=${f.name}`);
    params.set('nameFilter', f.match);
  }
  if (f.after) fields.push(`spec.startedAt>${utcTimestamp(f.after)}`);
  if (f.before) fields.push(`spec.startedAt<${utcTimestamp(f.before)}`);
  if (fields.length) params.set('listOptions.fieldSelector', fields.join(','));
  params.set('listOptions.limit', String(f.limit));
  const token = f.pages[f.pages.length - 1];
  if (token) params.set('listOptions.continue', token);
  return params.toString();
}

/** The time-range inputs are read as UTC, as the table shows times in UTC. */
function utcTimestamp(local) {
  return `${local.length === 16 ? `${local}:00` : local}Z`;
}
