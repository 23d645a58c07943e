// How long the person waited for each path's answer (performance.now(), request sent → whole answer read),
// the comparison of the last successful answers, and the list of earlier submissions.
import { $, esc } from './dom.js';
import { addStrings, formatNumber, formatTime, onLanguageChange, t } from './i18n.js';
import { pathBadge } from './reports.js';

addStrings({
  en: {
    'timings.heading': 'How long you waited',
    'timings.syncPath': 'as-is',
    'timings.asyncPath': 'via Kafka',
    'timings.notYet': 'Not submitted yet',
    'timings.waiting': 'Waiting for the answer…',
    'timings.soFar': '{ms} ms so far',
    'timings.waited': 'You waited {ms} ms {mood}',
    'timings.note': 'Measured in this browser with <code>performance.now()</code>, from sending the request to having the whole answer.',
    'timings.faster': 'The async path answered {ratio}× sooner ({ms} ms less waiting).',
    'timings.notFaster': 'This time the async path was not faster ({async} ms vs {sync} ms).',
    'timings.history': 'Earlier submissions from this page',
    'timings.key': 'key …{tail}',
    'timings.retry': 'retry {n}',
  },
  ko: {
    'timings.heading': '기다린 시간',
    'timings.syncPath': '기존 방식',
    'timings.asyncPath': 'Kafka 경유',
    'timings.notYet': '아직 제출하지 않음',
    'timings.waiting': '응답을 기다리는 중…',
    'timings.soFar': '{ms} ms 경과',
    'timings.waited': '{ms} ms 기다렸습니다 {mood}',
    'timings.note': '이 브라우저에서 <code>performance.now()</code>로 잰 시간으로, 요청을 보낸 순간부터 응답을 모두 받을 때까지입니다.',
    'timings.faster': '비동기 경로가 {ratio}배 더 빨리 응답했습니다 (대기 시간 {ms} ms 단축).',
    'timings.notFaster': '이번에는 비동기 경로가 더 빠르지 않았습니다 (비동기 {async} ms, 동기 {sync} ms).',
    'timings.history': '이 페이지에서 보낸 이전 제출',
    'timings.key': '키 …{tail}',
    'timings.retry': '재시도 {n}회차',
  },
});

const PATHS = ['sync', 'async'];
const HISTORY_MAX = 20;
const fmtMs = (ms) => formatNumber(Math.round(ms));

const inFlight = { sync: 0, async: 0 };
const liveTimers = { sync: null, async: null };
const lastWait = { sync: null, async: null };
/** Each card's last answer: { ms, kind, outcome: () => text }, re-rendered on a language change. */
const answers = { sync: null, async: null };
const history = [];

function mood(ms) { return ms <= 300 ? '😊' : ms <= 1000 ? '😐' : '😥'; }

export function initTimings() {
  onLanguageChange(() => {
    for (const path of PATHS) renderCard(path);
    renderComparison();
    renderHistory();
  });
  for (const path of PATHS) renderCard(path);
}

export function startWaiting(path) {
  inFlight[path]++;
  answers[path] = null;
  const card = $(`wait-card-${path}`);
  card.dataset.state = 'waiting';
  const box = card.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  renderCard(path);
  const live = $(`wait-live-${path}`);
  const started = performance.now();
  cancelAnimationFrame(liveTimers[path]);
  const tick = () => {
    live.textContent = t('timings.soFar', { ms: fmtMs(performance.now() - started) });
    liveTimers[path] = requestAnimationFrame(tick);
  };
  tick();
}

/** kind: ok | warn | error; outcome() gives the card's outcome line (text) in the current language. */
export function finishWaiting(path, ms, kind, outcome) {
  inFlight[path]--;
  if (inFlight[path] === 0) cancelAnimationFrame(liveTimers[path]);
  $(`wait-live-${path}`).textContent = '';
  answers[path] = { ms, kind, outcome };
  if (kind === 'ok') lastWait[path] = ms;
  renderCard(path);
  renderComparison();
}

function renderCard(path) {
  const card = $(`wait-card-${path}`);
  const value = $(`wait-${path}`);
  const answer = answers[path];
  if (!answer) {
    value.textContent = card.dataset.state === 'waiting' ? t('timings.waiting') : t('timings.notYet');
    delete value.dataset.ms;
    $(`outcome-${path}`).textContent = '';
    return;
  }
  card.dataset.state = answer.kind;
  card.dataset.mood = { '😊': 'happy', '😐': 'meh', '😥': 'sad' }[mood(answer.ms)];
  value.textContent = t('timings.waited', { ms: fmtMs(answer.ms), mood: mood(answer.ms) });
  value.dataset.ms = String(Math.round(answer.ms));
  $(`outcome-${path}`).textContent = answer.outcome();
}

function renderComparison() {
  const el = $('comparison');
  const s = lastWait.sync; const a = lastWait.async;
  if (s == null || a == null) { el.textContent = ''; return; }
  // Compares the last successful answer of each path (200 for sync, 202 for async).
  if (a < s) {
    const ratio = s / Math.max(a, 0.5);
    el.textContent = t('timings.faster', {
      ratio: ratio >= 10 ? formatNumber(ratio) : formatNumber(ratio, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      ms: fmtMs(s - a),
    });
  } else {
    el.textContent = t('timings.notFaster', { async: fmtMs(a), sync: fmtMs(s) });
  }
}

/** One line in the list of earlier submissions; outcome() gives its words in the current language. */
export function addHistory(path, ms, outcome, { key, attempt }) {
  history.unshift({ path, ms, outcome, key, attempt, at: new Date() });
  history.length = Math.min(history.length, HISTORY_MAX);
  renderHistory();
}

function renderHistory() {
  $('history').innerHTML = history.map((h) => {
    const details = [h.outcome(), formatTime(h.at)];
    if (h.key) details.push(t('timings.key', { tail: h.key.slice(-6) }));
    if (h.attempt > 1) details.push(t('timings.retry', { n: h.attempt - 1 }));
    return `<li>${pathBadge(h.path)} <strong>${fmtMs(h.ms)} ms</strong> ${mood(h.ms)} `
      + `<span class="muted">${details.map(esc).join(' · ')}</span></li>`;
  }).join('');
}
