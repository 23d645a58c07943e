// ReportPoc browser page: submit a report both ways, show how long the user waited,
// and watch reports move through Accepted → Running → Completed / Failed.
// Plain modern JavaScript, no dependencies.
'use strict';

(() => {
  const BOARD_POLL_MS = 1000;
  const SYSTEM_POLL_MS = 2000;
  const BOARD_LIMIT = 20;
  const BOARD_MAX_ROWS = 30;
  const FIELDS = ['reporterId', 'reportType', 'period', 'title', 'content'];
  const MAX_CONTENT = 65536;
  const MAX_KEY = 128;

  const $ = (id) => document.getElementById(id);
  const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const fmtMs = (ms) => numberFormat.format(Math.round(ms));

  // ---------------------------------------------------------------- validation (mirrors SubmitReportRequest)

  const rules = {
    reporterId: (v) => required(v) ?? maxLength(v, 64) ?? storable(v)
      ?? (/^[A-Za-z0-9_-]+$/.test(v) ? null : "Use only letters, digits, '-' and '_'."),
    reportType: (v) => required(v) ?? maxLength(v, 32) ?? storable(v),
    period: (v) => required(v) ?? maxLength(v, 7) ?? storable(v)
      ?? (/^(?!0000)\d{4}-(0[1-9]|1[0-2])$/.test(v) ? null : 'Use the form yyyy-MM, e.g. 2026-11.'),
    title: (v) => required(v) ?? maxLength(v, 200) ?? storable(v),
    content: (v) => maxLength(v, MAX_CONTENT) ?? storable(v),
    'Idempotency-Key': (v) => v === '' || (v.length <= MAX_KEY && /^[\x21-\x7E]+$/.test(v))
      ? null : `Use 1–${MAX_KEY} printable ASCII characters without spaces.`,
  };

  function required(v) { return v === '' ? 'Must not be empty.' : null; }
  function maxLength(v, n) { return v.length > n ? `At most ${n} characters.` : null; }
  function storable(v) {
    // NUL and lone surrogates cannot be stored; the server rejects them with this message.
    // eslint-disable-next-line no-control-regex
    return /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v)
      ? 'Contains invalid Unicode or control characters.' : null;
  }

  // ---------------------------------------------------------------- form elements

  const form = $('report-form');
  const keyInput = $('idempotencyKey');
  const formMessage = $('form-message');
  const inputFor = (field) => (field === 'Idempotency-Key' ? keyInput : $(field));

  function fieldValue(field) { return inputFor(field).value; }

  function showFieldError(field, message, source) {
    const el = $(`error-${field}`);
    const input = inputFor(field);
    if (!el) return false;
    el.textContent = message ?? '';
    if (message) el.dataset.source = source; else delete el.dataset.source;
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }
    return true;
  }

  function clearFieldErrors() {
    for (const field of [...FIELDS, 'Idempotency-Key']) showFieldError(field, null);
  }

  function checkInBrowser(field) {
    const message = rules[field](fieldValue(field));
    showFieldError(field, message, 'browser');
  }

  for (const field of [...FIELDS, 'Idempotency-Key']) {
    const input = inputFor(field);
    input.addEventListener('input', () => {
      input.dataset.touched = 'true';
      checkInBrowser(field);
      if (field === 'content') updateContentCount();
    });
    input.addEventListener('blur', () => { if (input.dataset.touched) checkInBrowser(field); });
  }

  function updateContentCount() {
    const n = $('content').value.length;
    const el = $('content-count');
    el.textContent = `${numberFormat.format(n)} / ${numberFormat.format(MAX_CONTENT)}`;
    el.classList.toggle('over', n > MAX_CONTENT);
  }

  function defaultPeriod() {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  }

  function newKey() {
    if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  }

  $('new-key').addEventListener('click', () => {
    keyInput.value = newKey();
    showFieldError('Idempotency-Key', null);
  });

  function showMessage(kind, html) {
    if (!html) { formMessage.hidden = true; formMessage.innerHTML = ''; return; }
    formMessage.hidden = false;
    formMessage.className = `form-message ${kind}`;
    formMessage.innerHTML = html;
  }

  const esc = (s) => String(s ?? '').replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  // ---------------------------------------------------------------- submitting

  const inFlight = { sync: 0, async: 0 };
  const lastWait = { sync: null, async: null };
  const liveTimers = { sync: null, async: null };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.submitter && event.submitter.dataset.path ? event.submitter : $('submit-sync');
    submit(button.dataset.path, button);
  });

  async function submit(path, button) {
    if (button.disabled) return;
    const body = {};
    for (const field of FIELDS) body[field] = fieldValue(field);
    const key = keyInput.value.trim();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
    if (key !== '') headers['Idempotency-Key'] = key;

    clearFieldErrors();
    showMessage(null);
    if (/[^\x00-\xFF]/.test(key)) {
      // fetch() cannot put such characters in a header at all, so nothing can be sent.
      keyInput.closest('details').open = true;
      showFieldError('Idempotency-Key', 'Use 1–128 printable ASCII characters without spaces (this key cannot even be sent as a header).', 'browser');
      keyInput.focus();
      return;
    }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    inFlight[path]++;
    startWaiting(path);

    const url = path === 'sync' ? '/api/reports/sync' : '/api/reports';
    const started = performance.now();
    let response; let text = ''; let failure = null;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store' });
      text = await response.text();
    } catch (error) {
      failure = error;
    }
    const waited = performance.now() - started;

    inFlight[path]--;
    button.disabled = false;
    button.removeAttribute('aria-busy');

    if (failure) {
      finishWaiting(path, waited, 'error', 'No answer: the Api could not be reached.');
      showMessage('error', `<strong>The Api could not be reached.</strong> ${esc(failure.message)}`);
      addHistory(path, waited, 'network error');
      return;
    }

    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    handleAnswer(path, waited, response, json, body);
  }

  function handleAnswer(path, waited, response, json, submitted) {
    const status = response.status;

    if (status === 200 && path === 'sync' && json && json.id) {
      const report = json;
      trackLocal(report, null, submitted);
      finishWaiting(path, waited, report.status === 'Failed' ? 'error' : 'ok',
        `200 · ${esc(report.status)} · report ${shortId(report.id)}`);
      addHistory(path, waited, `200 ${report.status}`);
      return;
    }

    if (status === 202 || (status >= 200 && status < 300)) {
      const id = json?.id;
      const statusUrl = json?.statusUrl || response.headers.get('Location');
      if (id) {
        trackLocal({
          id, status: json.status || 'Accepted', path, title: submitted.title, reporterId: submitted.reporterId,
          reportType: submitted.reportType, period: submitted.period,
          timestamps: { acceptedAt: json.acceptedAt || new Date().toISOString() }, attempts: 0,
        }, statusUrl, submitted);
      }
      finishWaiting(path, waited, 'ok', `${status} · Accepted${id ? ` · report ${shortId(id)}` : ''} · processing in the background`);
      addHistory(path, waited, `${status} Accepted`);
      return;
    }

    if (status === 400 && json && json.errors) {
      const general = [];
      const known = new Map([...FIELDS, 'Idempotency-Key'].map((f) => [f.toLowerCase(), f]));
      for (const [name, messages] of Object.entries(json.errors)) {
        const text = (Array.isArray(messages) ? messages : [messages]).join(' ');
        const field = known.get(String(name).toLowerCase());
        if (!field || !showFieldError(field, text, 'server')) general.push(`${name === 'body' ? 'Request body' : name}: ${text}`);
      }
      const firstField = Object.keys(json.errors).map((n) => known.get(n.toLowerCase())).find(Boolean);
      if (firstField && inputFor(firstField) === keyInput) keyInput.closest('details').open = true;
      if (firstField) inputFor(firstField).focus();
      showMessage('warn', `<strong>${esc(json.title || 'The report has invalid fields.')}</strong>`
        + (general.length ? `<ul>${general.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : ' See the messages next to the fields.'));
      finishWaiting(path, waited, 'warn', '400 · invalid fields — nothing was submitted');
      addHistory(path, waited, '400 invalid');
      return;
    }

    if (status === 502) {
      const reportId = json?.reportId;
      if (reportId) {
        trackLocal({
          id: reportId, status: 'Failed', path, title: submitted.title, attempts: 1, lastError: json?.detail ?? null,
          timestamps: { acceptedAt: new Date(Date.now() - waited).toISOString(), failedAt: new Date().toISOString() },
        }, null, submitted);
      }
      showMessage('error', `<strong>502 · ${esc(json?.title || 'The LP system failed the report.')}</strong>`
        + `${json?.detail ? ` ${esc(json.detail)}` : ''}${reportId ? ` <span class="mono">(report ${esc(shortId(reportId))})</span>` : ''}`
        + '<br>The user waited all this time only to get an error.');
      finishWaiting(path, waited, 'error', '502 · the LP system failed the report');
      addHistory(path, waited, '502 LP failed');
      return;
    }

    if (status === 503) {
      const retryAfter = response.headers.get('Retry-After');
      const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
      showMessage('error', `<strong>503 · ${esc(json?.title || 'The service is unavailable; nothing was accepted.')}</strong>`
        + `${json?.detail ? ` ${esc(json.detail)}` : ''}`
        + (seconds !== null ? ` <span class="retry">Retry after ${seconds} s.</span>`
          : retryAfter ? ` <span class="retry">Retry after ${esc(retryAfter)}.</span>` : ''));
      finishWaiting(path, waited, 'error', `503 · broker unavailable${seconds !== null ? ` · retry after ${seconds} s` : ''}`);
      addHistory(path, waited, '503 unavailable');
      return;
    }

    const title = json?.title || response.statusText || 'Unexpected answer';
    const detail = json?.detail || (json?.errors ? Object.values(json.errors).flat().join(' ') : '');
    showMessage('error', `<strong>${status} · ${esc(title)}</strong>${detail ? ` ${esc(detail)}` : ''}`);
    finishWaiting(path, waited, 'error', `${status} · ${esc(title)}`);
    addHistory(path, waited, `${status}`);
  }

  // ---------------------------------------------------------------- wait displays

  function mood(ms) { return ms <= 300 ? '😊' : ms <= 1000 ? '😐' : '😥'; }

  function startWaiting(path) {
    const card = $(`wait-card-${path}`);
    card.dataset.state = 'waiting';
    const box = card.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    $(`wait-${path}`).textContent = 'Waiting for the answer…';
    delete $(`wait-${path}`).dataset.ms;
    $(`outcome-${path}`).textContent = '';
    const live = $(`wait-live-${path}`);
    const started = performance.now();
    cancelAnimationFrame(liveTimers[path]);
    const tick = () => {
      live.textContent = `${fmtMs(performance.now() - started)} ms so far`;
      liveTimers[path] = requestAnimationFrame(tick);
    };
    tick();
  }

  function finishWaiting(path, ms, kind, outcomeHtml) {
    if (inFlight[path] === 0) cancelAnimationFrame(liveTimers[path]);
    $(`wait-live-${path}`).textContent = '';
    const card = $(`wait-card-${path}`);
    card.dataset.state = kind;
    card.dataset.mood = mood(ms) === '😊' ? 'happy' : mood(ms) === '😐' ? 'meh' : 'sad';
    $(`wait-${path}`).textContent = `You waited ${fmtMs(ms)} ms ${mood(ms)}`;
    $(`wait-${path}`).dataset.ms = String(Math.round(ms));
    $(`outcome-${path}`).innerHTML = outcomeHtml;
    if (kind === 'ok') lastWait[path] = ms;
    updateComparison();
  }

  function updateComparison() {
    const el = $('comparison');
    const s = lastWait.sync; const a = lastWait.async;
    if (s == null || a == null) { el.textContent = ''; return; }
    // Compares the last successful answer of each path (200 for sync, 202 for async).
    if (a < s) {
      const ratio = s / Math.max(a, 0.5);
      el.textContent = `The async path answered ${ratio >= 10 ? numberFormat.format(ratio) : ratio.toFixed(1)}× sooner `
        + `(${fmtMs(s - a)} ms less waiting).`;
    } else {
      el.textContent = `This time the async path was not faster (${fmtMs(a)} ms vs ${fmtMs(s)} ms).`;
    }
  }

  function addHistory(path, ms, outcome) {
    const li = document.createElement('li');
    li.innerHTML = `<span class="badge path-${path}">${path}</span> <strong>${fmtMs(ms)} ms</strong> ${mood(ms)} `
      + `<span class="muted">${esc(outcome)} · ${new Date().toLocaleTimeString()}</span>`;
    const list = $('history');
    list.prepend(li);
    while (list.children.length > 20) list.lastElementChild.remove();
  }

  // ---------------------------------------------------------------- board

  /** Reports this page submitted: id → { view, statusUrl, submitted, addedAt }. */
  const locals = new Map();
  /** Latest views from GET /api/reports. */
  let serverViews = [];
  const rowsById = new Map();
  const TERMINAL = new Set(['Completed', 'Failed']);

  function trackLocal(view, statusUrl, submitted) {
    const existing = locals.get(view.id);
    locals.set(view.id, {
      view: existing && rank(existing.view.status) > rank(view.status) ? existing.view : view,
      statusUrl: statusUrl || existing?.statusUrl || null,
      submitted,
      addedAt: existing?.addedAt ?? Date.now(),
    });
    renderBoard();
    pollBoardSoon();
  }

  function rank(status) { return { Accepted: 0, Pending: 0, Running: 1, Completed: 2, Failed: 2 }[status] ?? 0; }

  function latestTime(view) {
    const t = view.timestamps || {};
    return Math.max(...[t.acceptedAt, t.insertedAt, t.queuedAt, t.lpRunRequestedAt, t.completedAt, t.failedAt]
      .filter(Boolean).map((x) => Date.parse(x)).filter((x) => !Number.isNaN(x)), 0);
  }

  function mergedViews() {
    const byId = new Map();
    for (const v of serverViews) byId.set(v.id, v);
    for (const [id, local] of locals) {
      const server = byId.get(id);
      if (server) {
        local.view = server; // the database knows best once it has the report
      } else {
        byId.set(id, { ...local.view, title: local.view.title ?? local.submitted?.title });
      }
    }
    return [...byId.values()].sort((a, b) => latestTime(b) - latestTime(a)).slice(0, BOARD_MAX_ROWS);
  }

  // Ids are UUIDv7: the first characters are a timestamp shared by reports sent close together, so show the random tail.
  function shortId(id) { return String(id).slice(-8); }

  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  }

  function fmtDuration(ms) {
    if (ms < 10000) return `${fmtMs(ms)} ms`;
    return `${(ms / 1000).toFixed(1)} s`;
  }

  function timesText(view) {
    const t = view.timestamps || {};
    const accepted = Date.parse(t.acceptedAt);
    const parts = [`accepted ${fmtTime(t.acceptedAt)}`];
    if (view.status === 'Completed' && t.completedAt) {
      parts.push(`→ completed in <strong>${fmtDuration(Date.parse(t.completedAt) - accepted)}</strong>`);
    } else if (view.status === 'Failed' && t.failedAt) {
      parts.push(`→ failed after <strong>${fmtDuration(Date.parse(t.failedAt) - accepted)}</strong>`);
    } else if (!Number.isNaN(accepted)) {
      parts.push(`· ${view.status === 'Running' ? 'running' : 'waiting'} for ${fmtDuration(Math.max(0, Date.now() - accepted))}`);
    }
    return parts.join(' ');
  }

  function stepText(view) {
    if (view.status !== 'Running') return '';
    const t = view.timestamps || {};
    if (t.lpRunRequestedAt || t.queuedAt) return 'in LPRUN';
    if (t.insertedAt) return 'in setQueue';
    return 'starting';
  }

  function renderRow(li, view) {
    const status = String(view.status || 'Accepted');
    const path = view.path === 'sync' ? 'sync' : 'async';
    const previous = li.dataset.status;
    li.dataset.status = status;
    const step = stepText(view);
    const fromPage = locals.has(view.id) ? '<span class="from-page" title="Submitted from this page">you</span>' : '';
    const notInDb = status === 'Accepted' && !serverViews.some((v) => v.id === view.id)
      ? '<span class="muted"> · not in the database yet</span>' : '';
    li.innerHTML = `
      <div class="row-top">
        <span class="badge status status-${esc(status)} tone-${esc(status)}">${esc(status)}</span>
        ${step ? `<span class="step" title="Current step">${esc(step)}</span>` : ''}
        <span class="badge path-${path}">${path}</span>
        <code class="short-id" title="${esc(view.id)}">${esc(shortId(view.id))}</code>
        ${fromPage}
        <span class="attempts" title="Attempts">${Number(view.attempts) || 0} ${Number(view.attempts) === 1 ? 'attempt' : 'attempts'}</span>
      </div>
      <div class="row-title">${view.title ? esc(view.title) : '<span class="muted">(title not known yet)</span>'}${notInDb}</div>
      <div class="row-times">${timesText(view)}</div>
      ${view.lastError ? `<div class="row-error"><span class="sr-only">Last error: </span>${esc(view.lastError)}</div>` : ''}`;
    if (previous && previous !== status) {
      li.classList.remove('changed');
      void li.offsetWidth; // restart the highlight animation
      li.classList.add('changed');
    }
  }

  function renderBoard() {
    const board = $('board');
    const views = mergedViews();
    const keep = new Set(views.map((v) => v.id));
    for (const [id, li] of rowsById) {
      if (!keep.has(id)) { li.remove(); rowsById.delete(id); }
    }
    views.forEach((view, index) => {
      let li = rowsById.get(view.id);
      if (!li) {
        li = document.createElement('li');
        li.className = 'report-row new';
        li.dataset.reportId = view.id;
        rowsById.set(view.id, li);
      }
      renderRow(li, view);
      if (board.children[index] !== li) board.insertBefore(li, board.children[index] ?? null);
    });
    $('board-empty').hidden = views.length > 0;

    const counts = {};
    for (const v of views) counts[v.status] = (counts[v.status] || 0) + 1;
    $('board-summary').innerHTML = ['Accepted', 'Running', 'Completed', 'Failed']
      .filter((s) => counts[s])
      .map((s) => `<span class="badge tone-${s}">${s} ${counts[s]}</span>`).join(' ');
  }

  let boardTimer = null;
  let boardBusy = false;

  async function pollBoard() {
    clearTimeout(boardTimer);
    if (boardBusy) return;
    boardBusy = true;
    const state = $('board-state');
    try {
      const response = await fetch(`/api/reports?limit=${BOARD_LIMIT}`, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const list = await response.json();
      serverViews = Array.isArray(list) ? list : [];
      state.textContent = `live · ${new Date().toLocaleTimeString([], { hour12: false })}`;
      state.classList.remove('down');
    } catch (error) {
      state.textContent = `unavailable (${error.message})`;
      state.classList.add('down');
    }

    // Async submissions not (yet) in the recent list: ask their status URL.
    const inList = new Set(serverViews.map((v) => v.id));
    const pending = [...locals.entries()].filter(([id, l]) => !inList.has(id) && l.statusUrl && !TERMINAL.has(l.view.status));
    await Promise.all(pending.map(async ([id, local]) => {
      try {
        const response = await fetch(local.statusUrl, { cache: 'no-store', headers: { Accept: 'application/json' } });
        if (!response.ok) return;
        const view = await response.json();
        if (view && view.id && rank(view.status) >= rank(local.view.status)) {
          local.view = { ...view, title: view.title ?? local.submitted?.title };
        }
      } catch { /* next poll */ }
    }));

    // Forget finished local reports that the server no longer lists, after a while.
    const cutoff = Date.now() - 10 * 60 * 1000;
    for (const [id, local] of locals) {
      if (local.addedAt < cutoff && TERMINAL.has(local.view.status) && !inList.has(id)) locals.delete(id);
    }

    renderBoard();
    boardBusy = false;
    boardTimer = setTimeout(pollBoard, BOARD_POLL_MS);
  }

  function pollBoardSoon() {
    if (!boardBusy) { clearTimeout(boardTimer); boardTimer = setTimeout(pollBoard, 50); }
  }

  // ---------------------------------------------------------------- LP system & backlog

  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const show = (v) => (v == null ? '–' : numberFormat.format(v));

  function renderLp(lp) {
    $('lp-block').hidden = !lp;
    $('lp-unavailable').hidden = !!lp;
    if (!lp) return;
    const capacity = num(lp.capacity);
    const inFlight = num(lp.inFlightRuns) ?? 0;
    const waiting = num(lp.waitingRuns) ?? 0;
    $('lp-inflight-text').textContent = capacity != null ? `${show(inFlight)} / ${show(capacity)}` : show(inFlight);
    const bar = $('lp-capacity-bar');
    const fill = $('lp-capacity-fill');
    const fraction = capacity ? Math.min(1, inFlight / capacity) : 0;
    fill.style.width = `${(fraction * 100).toFixed(1)}%`;
    bar.dataset.level = fraction >= 1 ? 'full' : fraction >= 0.75 ? 'high' : 'normal';
    bar.setAttribute('aria-valuemax', String(capacity ?? 0));
    bar.setAttribute('aria-valuenow', String(inFlight));
    bar.setAttribute('aria-valuetext', `${inFlight} of ${capacity ?? '?'} LPRUN slots in use, ${waiting} waiting`);

    const waitingEl = $('lp-waiting');
    waitingEl.textContent = show(waiting);
    waitingEl.classList.toggle('hot', waiting > 0);
    $('lp-peak').textContent = show(num(lp.peakConcurrentRuns));
    $('lp-runcalls').textContent = show(num(lp.runCalls));
    const dup = num(lp.duplicateRunCalls);
    $('lp-duplicates').textContent = show(dup);
    $('lp-duplicates').classList.toggle('hot', (dup ?? 0) > 0);

    const faults = lp.faults || {};
    const errorRate = num(faults.errorRate) ?? 0;
    const slowdown = num(faults.slowdownFactor) ?? 1;
    const outage = faults.outage === true;
    setFault('fault-errorRate', errorRate > 0, `error rate ${+(errorRate * 100).toFixed(1)}%`);
    setFault('fault-slowdown', slowdown !== 1, `slowdown ×${+slowdown.toFixed(2)}`);
    setFault('fault-outage', outage, outage ? 'OUTAGE' : 'no outage');
    $('lp-faults').classList.toggle('any-active', errorRate > 0 || slowdown !== 1 || outage);
  }

  function setFault(id, active, text) {
    const el = $(id);
    el.textContent = active ? `⚠ ${text}` : text;
    el.classList.toggle('active', active);
  }

  function renderBacklog(backlog) {
    $('backlog-block').hidden = !backlog;
    $('backlog-unavailable').hidden = !!backlog;
    if (!backlog) return;
    $('backlog-topic').textContent = backlog.topic ? `(${backlog.topic})` : '';
    const messages = num(backlog.messages);
    const el = $('backlog-messages');
    el.textContent = messages == null ? '–' : `${show(messages)} ${messages === 1 ? 'message' : 'messages'} waiting`;
    el.classList.toggle('hot', (messages ?? 0) > 0);
  }

  async function pollSystem() {
    const state = $('system-state');
    try {
      const response = await fetch('/api/system', { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const system = await response.json();
      renderLp(system?.lp ?? null);
      renderBacklog(system?.backlog ?? null);
      state.textContent = `live · ${new Date().toLocaleTimeString([], { hour12: false })}`;
      state.classList.remove('down');
    } catch (error) {
      renderLp(null);
      renderBacklog(null);
      state.textContent = `unavailable (${error.message})`;
      state.classList.add('down');
    }
    setTimeout(pollSystem, SYSTEM_POLL_MS);
  }

  // ---------------------------------------------------------------- start

  if (!$('period').value) $('period').value = defaultPeriod();
  updateContentCount();
  renderBoard();
  pollBoard();
  pollSystem();
})();
