// The live board: reports moving Accepted → Running → Completed / Failed / Conflict. It shows the reports this page
// sent, read only through the status URLs their answers gave (the URL carries the token that allows the read): each
// report's stream of changes while one can be had (report-stream.js), polling its status URL only when not; and,
// when a demo switches it on (Demo:ListRecentReports), it merges the server's list of everyone's recent reports.
import { $, esc, getJson } from './dom.js';
import { addStrings, formatNumber, formatTime, onLanguageChange, t } from './i18n.js';
import { startPolling } from './poller.js';
import { followReport } from './report-stream.js';
import { FINAL, normalStatus, pathBadge, rank, shortId, statusBadge, statusText, STATUSES } from './reports.js';

addStrings({
  en: {
    'board.heading': 'Recent reports',
    'board.note': '{accepted} → {running} → {completed} / {failed} / {conflict}, refreshed every second. Reports this '
      + 'page sent via Kafka show as {acceptedBadge} until the processor picks them up.',
    'board.empty': 'No reports yet — submit one.',
    'board.listOff': "Everyone's recent reports are listed only when a demo switches the list on (Demo:ListRecentReports); "
      + 'the board follows the reports this page sent.',
    'board.listOffState': 'list off · {time}',
    'board.you': 'you',
    'board.youTitle': 'Submitted from this page',
    'board.notInDb': ' · not in the database yet',
    'board.attempts': ({ n }) => (n === 1 ? '{n} attempt' : '{n} attempts'),
    'board.attemptsTitle': 'Attempts',
    'board.noTitle': '(title not known yet)',
    'board.lastError': 'Last error: ',
    'board.openStatus': 'Open its status (JSON)',
    'board.step': 'Current step',
    'board.step.lprun': 'in LPRUN',
    'board.step.setQueue': 'in setQueue',
    'board.step.starting': 'starting',
    'board.accepted': 'accepted {time}',
    'board.completedIn': '→ completed in <strong>{d}</strong>',
    'board.failedAfter': '→ failed after <strong>{d}</strong>',
    'board.conflictAfter': '→ ended as a key conflict after <strong>{d}</strong>',
    'board.runningFor': '· running for {d}',
    'board.waitingFor': '· waiting for {d}',
    'duration.ms': '{n} ms',
    'duration.s': '{n} s',
  },
  ko: {
    'board.heading': '최근 보고서',
    'board.note': '{accepted} → {running} → {completed} / {failed} / {conflict} 순서로 바뀌며 1초마다 새로 고칩니다. '
      + '이 페이지에서 Kafka로 보낸 보고서는 프로세서가 가져갈 때까지 {acceptedBadge} 상태로 보입니다.',
    'board.empty': '아직 보고서가 없습니다. 하나 제출해 보세요.',
    'board.listOff': '모든 사용자의 최근 보고서 목록은 데모에서 켰을 때만 보입니다 (Demo:ListRecentReports). '
      + '이 페이지에서 보낸 보고서는 계속 추적합니다.',
    'board.listOffState': '목록 꺼짐 · {time}',
    'board.you': '내 제출',
    'board.youTitle': '이 페이지에서 제출함',
    'board.notInDb': ' · 아직 DB에 없음',
    'board.attempts': '시도 {n}회',
    'board.attemptsTitle': '시도 횟수',
    'board.noTitle': '(제목 아직 모름)',
    'board.lastError': '마지막 오류: ',
    'board.openStatus': '상태 열기 (JSON)',
    'board.step': '현재 단계',
    'board.step.lprun': 'LPRUN 실행 중',
    'board.step.setQueue': 'setQueue 진행 중',
    'board.step.starting': '시작하는 중',
    'board.accepted': '접수 {time}',
    'board.completedIn': '→ <strong>{d}</strong> 만에 완료',
    'board.failedAfter': '→ <strong>{d}</strong> 후 실패',
    'board.conflictAfter': '→ <strong>{d}</strong> 후 키 충돌로 종료',
    'board.runningFor': '· 처리 중 ({d} 경과)',
    'board.waitingFor': '· 대기 중 ({d} 경과)',
    'duration.ms': '{n} ms',
    'duration.s': '{n}초',
  },
});

const POLL_MS = 1000;
const LIST_LIMIT = 20;
const MAX_ROWS = 30;
const FORGET_AFTER_MS = 10 * 60 * 1000;

/** Reports this page submitted: id → { view, statusUrl, submitted, addedAt, streaming }. */
const locals = new Map();
/** Latest views from the recent list; each may carry its statusUrl. */
let serverViews = [];
let listOff = false;
const rowsById = new Map();
let poller = null;

/** Follow a report this page submitted; statusUrl (from the answer) is the only way the page reads it. */
export function trackSubmitted(view, statusUrl, submitted) {
  // Updated in place: a stream already following this report keeps writing to the same entry.
  const local = locals.get(view.id) ?? { view, addedAt: Date.now(), streaming: false };
  if (rank(view.status) >= rank(local.view.status)) local.view = view;
  local.statusUrl = statusUrl || local.statusUrl || null;
  local.submitted = submitted;
  locals.set(view.id, local);
  if (local.statusUrl && !local.streaming && !FINAL.has(normalStatus(local.view.status))) follow(local);
  render();
  poller?.soon();
}

/** Pushed states instead of polls; back to polling this report's status URL when the stream is not to be had. */
function follow(local) {
  local.streaming = true;
  followReport(local.statusUrl, {
    onView(view) {
      if (view?.id && rank(view.status) >= rank(local.view.status)) {
        local.view = { ...view, title: view.title ?? local.submitted?.title };
        render();
      }
    },
    onUnavailable() {
      local.streaming = false;
      poller?.soon();
    },
  });
}

export function startBoard() {
  onLanguageChange(() => { renderNote(); render(); });
  renderNote();
  render();
  poller = startPolling({ intervalMs: POLL_MS, stateElement: $('board-state'), load });
}

async function load() {
  let listFailure = null;
  // Once the list is known to be off, it is not asked for again: the switch is set at the Api's start.
  if (!listOff) {
    try {
      const list = await getJson(`/api/reports?limit=${LIST_LIMIT}`);
      serverViews = Array.isArray(list) ? list : [];
    } catch (error) {
      // 405 (only POST lives there) or 404: the list is off; the board then shows only what this page sent.
      listOff = error.status === 405 || error.status === 404;
      if (listOff) serverViews = []; else listFailure = error;
    }
  }

  const listed = new Map(serverViews.map((v) => [v.id, v]));
  await Promise.all([...locals.entries()]
    .filter(([id, local]) => !listed.has(id) && local.statusUrl && !local.streaming && !FINAL.has(normalStatus(local.view.status)))
    .map(([, local]) => refreshFromStatusUrl(local)));

  const cutoff = Date.now() - FORGET_AFTER_MS;
  for (const [id, local] of locals) {
    if (local.addedAt < cutoff && FINAL.has(normalStatus(local.view.status)) && !listed.has(id)) locals.delete(id);
  }

  render();
  if (listFailure) throw listFailure;
  return listOff ? { key: 'board.listOffState', at: new Date() } : null;
}

async function refreshFromStatusUrl(local) {
  try {
    const view = await getJson(local.statusUrl);
    if (view?.id && rank(view.status) >= rank(local.view.status)) {
      local.view = { ...view, title: view.title ?? local.submitted?.title };
    }
  } catch { /* the next poll asks again */ }
}

function latestTime(view) {
  const t = view.timestamps || {};
  return Math.max(...[t.acceptedAt, t.insertedAt, t.queuedAt, t.lpRunRequestedAt, t.completedAt, t.failedAt]
    .filter(Boolean).map((x) => Date.parse(x)).filter((x) => !Number.isNaN(x)), 0);
}

/** The server's views, plus this page's reports it does not list (yet); each with the status URL known for it. */
function mergedRows() {
  const byId = new Map(serverViews.map((v) => [v.id, { view: v, statusUrl: v.statusUrl ?? null }]));
  for (const [id, local] of locals) {
    const row = byId.get(id);
    if (row) {
      // The database knows best once it has the report, unless this report's stream already told of a later state.
      if (rank(row.view.status) >= rank(local.view.status)) local.view = row.view; else row.view = local.view;
      local.statusUrl = row.statusUrl ?? local.statusUrl;
      row.statusUrl = local.statusUrl;
    } else {
      byId.set(id, { view: { ...local.view, title: local.view.title ?? local.submitted?.title }, statusUrl: local.statusUrl });
    }
  }
  return [...byId.values()].sort((a, b) => latestTime(b.view) - latestTime(a.view)).slice(0, MAX_ROWS);
}

function duration(ms) {
  return ms < 10_000
    ? t('duration.ms', { n: formatNumber(Math.round(ms)) })
    : t('duration.s', { n: formatNumber(ms / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

function timesHtml(view) {
  const times = view.timestamps || {};
  const accepted = Date.parse(times.acceptedAt);
  const parts = [esc(t('board.accepted', { time: formatTime(times.acceptedAt, true) }))];
  const status = normalStatus(view.status);
  const ended = status === 'Completed' ? times.completedAt : times.failedAt ?? times.completedAt;
  if (FINAL.has(status) && ended && !Number.isNaN(accepted)) {
    const key = { Completed: 'board.completedIn', Failed: 'board.failedAfter' }[status] ?? 'board.conflictAfter';
    parts.push(t(key, { d: esc(duration(Date.parse(ended) - accepted)) }));
  } else if (!FINAL.has(status) && !Number.isNaN(accepted)) {
    parts.push(esc(t(status === 'Running' ? 'board.runningFor' : 'board.waitingFor', { d: duration(Math.max(0, Date.now() - accepted)) })));
  }
  return parts.join(' ');
}

function stepText(view) {
  if (normalStatus(view.status) !== 'Running') return '';
  const times = view.timestamps || {};
  if (times.lpRunRequestedAt || times.queuedAt) return t('board.step.lprun');
  if (times.insertedAt) return t('board.step.setQueue');
  return t('board.step.starting');
}

function renderRow(li, { view, statusUrl }) {
  const status = normalStatus(view.status);
  const previous = li.dataset.status;
  li.dataset.status = status;
  const step = stepText(view);
  const attempts = Number(view.attempts) || 0;
  const id = `<code class="short-id">${esc(shortId(view.id))}</code>`;
  const notInDb = status === 'Accepted' && !serverViews.some((v) => v.id === view.id)
    ? `<span class="muted">${esc(t('board.notInDb'))}</span>` : '';
  li.innerHTML = `
    <div class="row-top">
      ${statusBadge(status, { classes: `status status-${esc(status)}` })}
      ${step ? `<span class="step" title="${esc(t('board.step'))}">${esc(step)}</span>` : ''}
      ${pathBadge(view.path)}
      ${statusUrl ? `<a href="${esc(statusUrl)}" target="_blank" rel="noopener" title="${esc(t('board.openStatus'))}">${id}</a>` : id}
      ${locals.has(view.id) ? `<span class="from-page" title="${esc(t('board.youTitle'))}">${esc(t('board.you'))}</span>` : ''}
      <span class="attempts" title="${esc(t('board.attemptsTitle'))}">${esc(t('board.attempts', { n: attempts }))}</span>
    </div>
    <div class="row-title">${view.title ? esc(view.title) : `<span class="muted">${esc(t('board.noTitle'))}</span>`}${notInDb}</div>
    <div class="row-times">${timesHtml(view)}</div>
    ${view.lastError ? `<div class="row-error"><span class="sr-only">${esc(t('board.lastError'))}</span>${esc(view.lastError)}</div>` : ''}`;
  if (previous && previous !== status) {
    li.classList.remove('changed');
    void li.offsetWidth; // restart the highlight animation
    li.classList.add('changed');
  }
}

function renderNote() {
  $('board-note').innerHTML = t('board.note', {
    accepted: esc(statusText('Accepted')),
    running: esc(statusText('Running')),
    completed: esc(statusText('Completed')),
    failed: esc(statusText('Failed')),
    conflict: esc(statusText('Conflict')),
    acceptedBadge: statusBadge('Accepted'),
  });
}

function render() {
  $('board-list-off').hidden = !listOff;

  const board = $('board');
  const rows = mergedRows();
  const keep = new Set(rows.map((r) => r.view.id));
  for (const [id, li] of rowsById) {
    if (!keep.has(id)) { li.remove(); rowsById.delete(id); }
  }
  rows.forEach((row, index) => {
    let li = rowsById.get(row.view.id);
    if (!li) {
      li = document.createElement('li');
      li.className = 'report-row new';
      li.dataset.reportId = row.view.id;
      rowsById.set(row.view.id, li);
    }
    renderRow(li, row);
    if (board.children[index] !== li) board.insertBefore(li, board.children[index] ?? null);
  });
  $('board-empty').hidden = rows.length > 0;

  const counts = {};
  for (const { view } of rows) counts[normalStatus(view.status)] = (counts[normalStatus(view.status)] || 0) + 1;
  $('board-summary').innerHTML = STATUSES.filter((s) => counts[s])
    .map((s) => statusBadge(s, { suffix: ` ${counts[s]}` })).join(' ');
}
