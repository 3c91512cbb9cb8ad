'use strict';
// The Durable console: everything it shows is set as text (textContent), never parsed as HTML.
(function () {
  const PAGE = 25;
  const REFRESH_MS = 2000;
  const state = { token: null, executions: [], page: 0, selected: null, detail: null, operation: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }

  function say(text, error) {
    const m = $('message');
    m.textContent = text;
    m.className = 'shown' + (error ? ' error' : '');
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { m.className = ''; }, error ? 8000 : 3000);
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: state.token ? { 'Authorization': 'Bearer ' + state.token, 'Content-Type': 'application/json' }
        : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : body,
      cache: 'no-store'
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (response.status === 401) { showLogin(); throw new Error('the token was refused'); }
    if (!response.ok) throw new Error((json && json.error) || ('HTTP ' + response.status));
    return json;
  }

  function age(iso) {
    if (!iso) return '';
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + ' s';
    if (s < 3600) return Math.round(s / 60) + ' min';
    if (s < 86400) return Math.round(s / 3600) + ' h';
    return Math.round(s / 86400) + ' d';
  }

  function fn(info) { return info.version && info.version !== 1 ? info.function + ' v' + info.version : info.function; }

  function currentOperation(d) {
    const ops = d.operations || [];
    for (let i = ops.length - 1; i >= 0; i--) if (ops[i].status !== 'SUCCEEDED') return ops[i];
    return null;
  }

  function filtered() {
    const status = $('status-filter').value;
    const text = $('text-filter').value.trim().toLowerCase();
    return state.executions
      .filter((d) => !status || d.info.status === status)
      .filter((d) => !text || d.info.name.toLowerCase().includes(text) || d.info.function.toLowerCase().includes(text))
      .sort((a, b) => Date.parse(b.info.startedAt) - Date.parse(a.info.startedAt));
  }

  function renderList() {
    const rows = filtered();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const body = $('executions').tBodies[0];
    body.replaceChildren();
    for (const d of rows.slice(state.page * PAGE, state.page * PAGE + PAGE)) {
      const op = currentOperation(d);
      const tr = el('tr', { 'data-name': d.info.name, onclick: () => select(d.info.name) },
        el('td', {}, d.info.name), el('td', {}, fn(d.info)),
        el('td', { class: 'status s-' + d.info.status }, d.info.status), el('td', {}, age(d.info.startedAt)),
        el('td', {}, d.info.status === 'BLOCKED' ? 'blocked: ' + (d.info.blockedReason || '').split('. Keep ')[0]
          : op ? op.id + ' ' + op.type + ' \u2018' + (op.name == null ? '' : op.name) + '\u2019 ' + op.status : '-'));
      if (d.info.name === state.selected) tr.classList.add('selected');
      body.append(tr);
    }
    $('page').textContent = 'page ' + (state.page + 1) + ' of ' + pages + ' (' + rows.length + ' executions)';
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
  }

  function summary(dl, pairs) {
    dl.replaceChildren();
    for (const [k, v] of pairs) if (v !== null && v !== undefined && v !== '') dl.append(el('dt', {}, k), el('dd', {}, v));
  }

  function errorText(e) { return e ? e.type + (e.message ? ': ' + e.message : '') : null; }

  function renderDetail() {
    const d = state.detail;
    $('detail-pane').hidden = !d;
    if (!d) return;
    $('detail-title').textContent = d.info.name;
    summary($('detail-summary'), [['function', fn(d.info)], ['status', d.info.status], ['started', d.info.startedAt],
      ['ended', d.info.finishedAt], ['invoked by', d.info.parent], ['input', d.input], ['result', d.result],
      [d.info.status === 'BLOCKED' ? 'blocked' : 'error', d.info.status === 'BLOCKED' ? d.info.blockedReason : errorText(d.error)]]);
    const terminal = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(d.info.status);
    $('cancel').hidden = terminal;
    $('retry').hidden = d.info.status !== 'FAILED' && d.info.status !== 'BLOCKED';
    $('retry').textContent = d.info.status === 'BLOCKED' ? 'Replay again now' : 'Retry execution';
    $('fail-actions').hidden = d.info.status !== 'BLOCKED';
    renderTimeline(d);
    renderOperation();
  }

  function renderTimeline(d) {
    const ops = d.operations || [];
    const start = Date.parse(d.info.startedAt);
    let end = d.info.finishedAt ? Date.parse(d.info.finishedAt) : Date.now();
    for (const op of ops) {
      if (op.updatedAt) end = Math.max(end, Date.parse(op.updatedAt));
      if (op.waitUntil && !op.done) end = Math.max(end, Date.parse(op.waitUntil));
    }
    const span = Math.max(1, end - start);
    const pct = (t) => (100 * (t - start) / span).toFixed(3) + '%';
    const box = $('timeline');
    box.replaceChildren();
    if (!ops.length) { box.append(el('p', {}, 'no operations yet')); return; }
    for (const op of ops) {
      const depth = op.id.split('/').length - 1;
      const from = op.startedAt ? Date.parse(op.startedAt) : start;
      const to = op.status === 'SUCCEEDED' || op.status === 'FAILED' ? Date.parse(op.updatedAt || op.startedAt) : Date.now();
      const bar = el('div', { class: 'bar s-' + op.status, title: op.type + ' ' + op.status });
      bar.style.left = pct(from);
      bar.style.width = 'calc(' + pct(Math.max(to, from)) + ' - ' + pct(from) + ')';
      const track = el('div', { class: 'track' }, bar);
      for (const a of op.attempts || []) {
        if (a.status !== 'SUCCEEDED' && a.at) {
          const tick = el('div', { class: 'attempt', title: 'attempt ' + a.attempt + ' ' + a.status + (a.error ? ': ' + errorText(a.error) : '') });
          tick.style.left = pct(Date.parse(a.at));
          track.append(tick);
        }
      }
      if (op.waitUntil && op.status !== 'SUCCEEDED') {
        const due = el('div', { class: 'deadline', title: 'due ' + op.waitUntil });
        due.style.left = pct(Date.parse(op.waitUntil));
        track.append(due);
      }
      const label = el('div', { class: 'label', title: op.id + ' ' + op.type + ' ' + (op.name || '') },
        '\u00a0'.repeat(depth * 3) + op.id + ' ' + op.type.toLowerCase() + ' ' + (op.name == null ? '' : op.name));
      box.append(el('div', { class: 'row', 'data-op': op.id, onclick: () => { state.operation = op.id; renderOperation(); } }, label, track));
    }
  }

  function renderOperation() {
    const d = state.detail;
    const op = d && (d.operations || []).find((o) => o.id === state.operation);
    $('operation').hidden = !op;
    if (!op) return;
    $('operation-title').textContent = 'Operation ' + op.id + ' ' + op.type + ' ' + (op.name == null ? '(unnamed)' : op.name);
    const attempts = (op.attempts || []).map((a) => 'attempt ' + a.attempt + ' ' + a.status + ' at ' + a.at
      + (a.error ? ' \u2014 ' + errorText(a.error) : '')).join('\n');
    summary($('operation-summary'), [['status', op.status], ['started', op.startedAt], ['updated', op.updatedAt],
      ['due', op.waitUntil], ['callback id', op.callbackId], ['attempts', attempts], ['result', op.result],
      ['error', op.error ? errorText(op.error) + '\n' + (op.error.stack || []).slice(0, 8).map((f) => '  at ' + f).join('\n') : null]]);
    if (op.childExecution) {
      $('operation-summary').append(el('dt', {}, 'child'), el('dd', {}, el('a', { class: 'child', onclick: () => select(op.childExecution) }, op.childExecution)));
    }
    $('callback-actions').hidden = !(op.type === 'CALLBACK' && op.status === 'STARTED' && op.callbackId);
  }

  async function refresh() {
    try {
      state.executions = await api('GET', 'api/executions?view=details');
      if (state.selected) state.detail = state.executions.find((d) => d.info.name === state.selected)
        || await api('GET', 'api/executions/' + encodeURIComponent(state.selected));
      renderList();
      renderDetail();
      $('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('refreshed').textContent = 'not refreshed: ' + e.message;
    }
  }

  function select(name) {
    state.selected = name;
    state.operation = null;
    refresh();
  }

  async function act(label, method, path, body) {
    try {
      await api(method, path, body);
      say(label + ': done');
    } catch (e) {
      say(label + ': ' + e.message, true);
    }
    await refresh();
  }

  function currentCallback() {
    const op = (state.detail.operations || []).find((o) => o.id === state.operation);
    return op && op.callbackId;
  }

  function showLogin() {
    $('login').hidden = false;
    $('main').hidden = true;
  }

  function start(token) {
    state.token = token;
    if (token) sessionStorage.setItem('durable-token', token);
    $('login').hidden = true;
    $('main').hidden = false;
    $('endpoint').textContent = location.host;
    refresh();
    clearInterval(start.timer);
    start.timer = setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('status-filter').addEventListener('change', () => { state.page = 0; renderList(); });
    $('text-filter').addEventListener('input', () => { state.page = 0; renderList(); });
    $('prev').addEventListener('click', () => { state.page--; renderList(); });
    $('next').addEventListener('click', () => { state.page++; renderList(); });
    $('cancel').addEventListener('click', () => act('cancel', 'POST', 'api/executions/' + encodeURIComponent(state.selected) + '/cancel', ''));
    $('retry').addEventListener('click', () => act('retry', 'POST', 'api/executions/' + encodeURIComponent(state.selected) + '/retry', ''));
    $('fail-execution').addEventListener('click', () => act('fail execution', 'POST',
      'api/executions/' + encodeURIComponent(state.selected) + '/fail', JSON.stringify({ reason: $('fail-reason').value })));
    $('complete').addEventListener('click', () => {
      const payload = $('payload').value;
      try { JSON.parse(payload); } catch (e) { say('the payload is not JSON: ' + e.message, true); return; }
      act('complete callback', 'POST', 'api/callbacks/' + encodeURIComponent(currentCallback()) + '/complete', payload);
    });
    $('fail').addEventListener('click', () => act('fail callback', 'POST', 'api/callbacks/' + encodeURIComponent(currentCallback()) + '/fail',
      JSON.stringify({ errorType: $('error-type').value, message: $('error-message').value })));
    $('login-form').addEventListener('submit', (e) => { e.preventDefault(); start($('token-input').value.trim()); });
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
    if (fromHash) history.replaceState(null, '', location.pathname);
    const token = fromHash || sessionStorage.getItem('durable-token');
    if (token) {
      start(token);
    } else {
      // mounted behind the application's own security, the API may need no token of ours
      fetch('api/executions', { cache: 'no-store' }).then((r) => (r.ok ? start(null) : showLogin()), showLogin);
    }
  });
})();
