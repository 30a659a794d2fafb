// The list of archived workflows: the filter form, the table and the pager. The view is kept
// while the hash changes between list states, so focus stays where the person left it; only the
// results are fetched and drawn again.

import { ApiError, labelKeys, listWorkflows } from './api.js';
import { h, replace } from './dom.js';
import { formatDuration, formatTime, phaseInfo } from './format.js';
import {
  LIMITS, NAME_MATCHES, PHASES, apiQuery, detailHash, emptyFilters, listHash,
} from './state.js';
import { errorPanel, phaseBadge } from './widgets.js';

/** Labels Argo sets on every workflow; they repeat the phase column, so rows leave them out. */
const SYSTEM_LABEL_PREFIX = 'workflows.argoproj.io/';

export class ListView {
  constructor() {
    this.filters = emptyFilters();
    this.generation = 0;
    this.abort = null;
    this.flash = '';
    this.root = h('section', { class: 'list-view', 'aria-labelledby': 'list-heading' });
    this.buildForm();
    this.status = h('p', { class: 'result-status', role: 'status', 'aria-live': 'polite' });
    this.notice = h('div', { class: 'notice-area' });
    this.results = h('div', { class: 'results' });
    this.pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    this.root.append(
      h('h1', { id: 'list-heading', class: 'visually-hidden' }, 'Archived workflows'),
      this.form, this.notice, this.status, this.results, this.pager);
    this.loadLabelKeys();
  }

  /** Shows `message` once, above the results of the next load (e.g. "Deleted ..."). */
  setFlash(message) {
    this.flash = message;
  }

  buildForm() {
    const field = (id, label, control, hint) => h('div', { class: 'field' },
      h('label', { for: id }, label), control,
      hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null);
    this.inputs = {
      namespace: h('input', { id: 'f-namespace', name: 'namespace', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'all namespaces' }),
      phase: h('select', { id: 'f-phase', name: 'phase' },
        h('option', { value: '' }, 'Any phase'),
        PHASES.map((p) => h('option', { value: p }, p))),
      name: h('input', { id: 'f-name', name: 'name', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'workflow name' }),
      match: h('select', { id: 'f-match', name: 'match', 'aria-label': 'Name match' },
        NAME_MATCHES.map((m) => h('option', { value: m }, m === 'Prefix' ? 'starts with' : m === 'Contains' ? 'contains' : 'is exactly'))),
      selector: h('input', { id: 'f-selector', name: 'selector', type: 'text', autocomplete: 'off', spellcheck: 'false', list: 'label-keys', placeholder: 'e.g. team=ml,env!=prod', 'aria-describedby': 'f-selector-hint' }),
      after: h('input', { id: 'f-after', name: 'after', type: 'datetime-local', step: '60' }),
      before: h('input', { id: 'f-before', name: 'before', type: 'datetime-local', step: '60' }),
      limit: h('select', { id: 'f-limit', name: 'limit' }, LIMITS.map((n) => h('option', { value: String(n) }, String(n)))),
    };
    this.labelKeyList = h('datalist', { id: 'label-keys' });
    const i = this.inputs;
    this.form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter workflows', onsubmit: (e) => { e.preventDefault(); this.applyForm(); } },
      field('f-namespace', 'Namespace', i.namespace),
      field('f-phase', 'Phase', i.phase),
      h('div', { class: 'field field-name' },
        h('label', { for: 'f-name' }, 'Name'),
        h('div', { class: 'joined' }, i.match, i.name)),
      field('f-selector', 'Label selector', i.selector, 'Kubernetes syntax: key=value, key!=value, key in (a,b), !key'),
      field('f-after', 'Started after (UTC)', i.after),
      field('f-before', 'Started before (UTC)', i.before),
      field('f-limit', 'Rows per page', i.limit),
      h('div', { class: 'field actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Apply'),
        h('button', { type: 'button', class: 'secondary', onclick: () => this.navigate(emptyFilters()) }, 'Clear')),
      this.labelKeyList);
    // A choice from a list applies at once; typed fields apply on Enter or the Apply button.
    for (const select of [i.phase, i.match, i.limit]) {
      select.addEventListener('change', () => {
        if (select !== i.match || i.name.value.trim()) this.applyForm();
      });
    }
  }

  async loadLabelKeys() {
    try {
      const keys = await labelKeys();
      replace(this.labelKeyList, keys.map((k) => h('option', { value: `${k}=` })));
    } catch {
      // Suggestions only; the field works without them.
    }
  }

  formFilters() {
    const i = this.inputs;
    return {
      ...emptyFilters(),
      namespace: i.namespace.value.trim(),
      phase: i.phase.value,
      name: i.name.value.trim(),
      match: i.match.value,
      selector: i.selector.value.trim(),
      after: i.after.value,
      before: i.before.value,
      limit: Number(i.limit.value),
      pages: [],
    };
  }

  applyForm() {
    this.navigate(this.formFilters());
  }

  navigate(filters) {
    const hash = listHash(filters);
    if (location.hash === hash || (hash === '#/' && location.hash === '')) this.show(filters);
    else location.hash = hash;
  }

  fillForm(f) {
    const i = this.inputs;
    i.namespace.value = f.namespace;
    i.phase.value = f.phase;
    i.name.value = f.name;
    i.match.value = f.match;
    i.selector.value = f.selector;
    i.after.value = f.after;
    i.before.value = f.before;
    i.limit.value = String(f.limit);
    i.selector.removeAttribute('aria-invalid');
  }

  /** Draws the list for `filters` (from the URL). Stale answers of earlier loads are dropped. */
  async show(filters) {
    this.filters = filters;
    this.fillForm(filters);
    const forHash = location.hash;
    const generation = ++this.generation;
    if (this.abort) this.abort.abort();
    this.abort = new AbortController();
    this.root.setAttribute('aria-busy', 'true');
    this.status.textContent = 'Loading…';
    replace(this.notice, this.flash ? h('p', { class: 'notice success', role: 'status' }, this.flash) : null);
    this.flash = '';
    try {
      const body = await listWorkflows(apiQuery(filters), this.abort.signal);
      if (generation !== this.generation) return;
      this.renderResults(filters, Array.isArray(body.items) ? body.items : [],
        (body.metadata && body.metadata.continue) || '');
    } catch (e) {
      if (generation !== this.generation || e.name === 'AbortError') return;
      this.renderError(filters, e);
    } finally {
      if (generation === this.generation) {
        this.root.removeAttribute('aria-busy');
        // Which URL state the shown results belong to: lets tests (and people with devtools)
        // tell a finished load from the previous page's results.
        this.root.dataset.loadedFor = forHash;
      }
    }
  }

  renderResults(filters, items, nextToken) {
    const page = filters.pages.length + 1;
    this.root.dataset.state = items.length ? 'results' : 'empty';
    if (items.length === 0) {
      this.status.textContent = page > 1 ? `Page ${page}: no more workflows.` : 'No workflows.';
      replace(this.results, this.emptyState(filters, page));
    } else {
      const first = (page - 1) * filters.limit + 1;
      this.status.textContent = `Page ${page}: workflows ${first}–${first + items.length - 1}${nextToken ? '' : ' (last page)'}`;
      replace(this.results, this.table(items));
    }
    this.renderPager(filters, nextToken, page);
  }

  emptyState(filters, page) {
    const filtered = listHash({ ...filters, pages: [] }) !== '#/';
    if (page > 1) {
      return h('div', { class: 'empty' },
        h('p', {}, 'This page is empty: the workflows after the previous page were deleted or no longer match.'),
        h('button', { type: 'button', onclick: () => this.navigate({ ...filters, pages: [] }) }, 'Back to the first page'));
    }
    if (filtered) {
      return h('div', { class: 'empty' },
        h('p', {}, 'No archived workflows match these filters.'),
        h('button', { type: 'button', onclick: () => this.navigate(emptyFilters()) }, 'Clear filters'));
    }
    return h('div', { class: 'empty' },
      h('p', {}, 'The archive is empty.'),
      h('p', { class: 'hint' }, 'Completed workflows appear here once Archivist has archived them.'));
  }

  renderError(filters, e) {
    this.root.dataset.state = 'error';
    this.status.textContent = '';
    const retry = () => this.show(filters);
    if (e instanceof ApiError && e.status === 400) {
      if (filters.selector) this.inputs.selector.setAttribute('aria-invalid', 'true');
      replace(this.results, errorPanel('The server rejected these filters', e.message, null, 'bad-request'));
    } else {
      replace(this.results, errorPanel(null, null, retry, null, e));
    }
    replace(this.pager);
  }

  table(items) {
    const head = h('thead', {}, h('tr', {},
      ['Name', 'Namespace', 'Phase', 'Started (UTC)', 'Finished (UTC)', 'Duration', 'Labels']
        .map((c) => h('th', { scope: 'col' }, c))));
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'workflows' },
        h('caption', { class: 'visually-hidden' }, 'Archived workflows, newest first'),
        head,
        h('tbody', {}, items.map((wf) => this.row(wf)))));
  }

  row(wf) {
    const md = wf.metadata || {};
    const st = wf.status || {};
    const labels = Object.entries(md.labels || {}).filter(([k]) => !k.startsWith(SYSTEM_LABEL_PREFIX));
    const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
    return h('tr', { dataset: { uid: md.uid || '', name: md.name || '', namespace: md.namespace || '' } },
      h('th', { scope: 'row', 'data-label': 'Name', class: 'name' },
        md.uid ? h('a', { href: detailHash(md.uid) }, md.name || md.uid) : (md.name || '')),
      cell('Namespace', md.namespace || ''),
      cell('Phase', phaseBadge(st.phase)),
      cell('Started', h('time', { datetime: st.startedAt || '' }, formatTime(st.startedAt))),
      cell('Finished', h('time', { datetime: st.finishedAt || '' }, formatTime(st.finishedAt))),
      cell('Duration', formatDuration(st.startedAt, st.finishedAt)),
      h('td', { 'data-label': 'Labels', class: 'labels' },
        labels.length ? h('ul', { class: 'chips' }, labels.map(([k, v]) => h('li', {}, this.chip(k, v)))) : null));
  }

  /** A label chip; pressing it adds `key=value` to the label selector. */
  chip(key, value) {
    const term = `${key}=${value}`;
    return h('button', {
      type: 'button',
      class: 'chip',
      title: `Show only workflows with ${term}`,
      onclick: () => {
        const f = this.filters;
        const terms = f.selector ? f.selector.split(',').map((s) => s.trim()) : [];
        if (!terms.includes(term)) terms.push(term);
        this.navigate({ ...f, selector: terms.join(','), pages: [] });
      },
    }, h('span', { class: 'chip-key' }, key), '=', h('span', { class: 'chip-value' }, value));
  }

  renderPager(filters, nextToken, page) {
    const previous = h('button', {
      type: 'button',
      class: 'pager-prev',
      disabled: filters.pages.length === 0,
      onclick: () => this.navigate({ ...filters, pages: filters.pages.slice(0, -1) }),
    }, '← Previous');
    const next = h('button', {
      type: 'button',
      class: 'pager-next',
      disabled: !nextToken,
      onclick: () => this.navigate({ ...filters, pages: [...filters.pages, nextToken] }),
    }, 'Next →');
    const first = filters.pages.length > 1
      ? h('button', { type: 'button', class: 'pager-first', onclick: () => this.navigate({ ...filters, pages: [] }) }, '⇤ First')
      : null;
    const hadFocus = this.pager.contains(document.activeElement) ? document.activeElement.className : '';
    replace(this.pager, first, previous, h('span', { class: 'page-number' }, `Page ${page}`), next);
    // Keep the keyboard where it was when the pager is drawn again.
    if (hadFocus) {
      const again = this.pager.querySelector(`.${hadFocus.split(' ')[0]}`);
      if (again && !again.disabled) again.focus();
      else (next.disabled ? previous : next).focus();
    }
  }
}
