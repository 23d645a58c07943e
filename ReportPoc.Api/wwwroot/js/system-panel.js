// The LP system (LPRUN slots in use against its capacity, calls, second runs of a report, injected faults) and the Kafka backlog,
// from GET /api/system (system-status.js); either part is null when it cannot be reached.
import { $ } from './dom.js';
import { addStrings, formatNumber, onLanguageChange, t } from './i18n.js';
import { onSystemStatus } from './system-status.js';

addStrings({
  en: {
    'lp.heading': 'LP system & backlog',
    'lp.inFlight': 'LPRUN in flight',
    'lp.bar': 'LPRUN in flight of capacity',
    'lp.barValue': '{n} of {capacity} LPRUN slots in use, {waiting} waiting',
    'lp.waiting': 'Waiting for a slot',
    'lp.peak': 'Peak concurrent',
    'lp.runCalls': 'LPRUN calls',
    'lp.duplicates': 'Duplicate LPRUN runs',
    'lp.faults': 'Injected faults',
    'lp.errorRate': 'error rate {value}',
    'lp.slowdown': 'slowdown {value}',
    'lp.outage': 'OUTAGE',
    'lp.noOutage': 'no outage',
    'lp.outageUnknown': 'outage –',
    'lp.unavailable': 'LP system: unavailable',
    'backlog.label': 'Kafka backlog',
    'backlog.messages': ({ n }) => (n === 1 ? '{count} message waiting' : '{count} messages waiting'),
    'backlog.unavailable': 'Kafka backlog: unavailable',
    'brokerLog.label': 'Dev broker, fullest partition',
    'brokerLog.value': '{used} of {limit} MB unread, {refused} refused',
    'lost.messages': '{messages} message(s) lost from the log, {reports} accepted report(s) with them: see /api/system',
  },
  ko: {
    'lp.heading': 'LP 시스템과 메시지 적체',
    'lp.inFlight': '실행 중인 LPRUN',
    'lp.bar': '용량 대비 실행 중인 LPRUN',
    'lp.barValue': 'LPRUN 슬롯 {capacity}개 중 {n}개 사용 중, {waiting}건 대기',
    'lp.waiting': '슬롯 대기',
    'lp.peak': '최대 동시 실행',
    'lp.runCalls': 'LPRUN 호출 수',
    'lp.duplicates': '중복 LPRUN 실행',
    'lp.faults': '주입된 장애',
    'lp.errorRate': '오류율 {value}',
    'lp.slowdown': '지연 배수 {value}',
    'lp.outage': '서비스 중단',
    'lp.noOutage': '중단 없음',
    'lp.outageUnknown': '중단 –',
    'lp.unavailable': 'LP 시스템: 연결 안 됨',
    'backlog.label': 'Kafka 적체',
    'backlog.messages': '메시지 {count}건 대기 중',
    'backlog.unavailable': 'Kafka 적체: 확인 불가',
    'brokerLog.label': '개발용 브로커, 가장 찬 파티션',
    'brokerLog.value': '읽지 않은 {used} / {limit} MB, 거절 {refused}건',
    'lost.messages': '로그에서 유실된 메시지 {messages}건, 해당 접수 리포트 {reports}건: /api/system 참고',
  },
});

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const show = (v) => (v == null ? '–' : formatNumber(v));

/** The last answer, kept so a language change can re-render it; undefined until the first poll. */
let last;

export function startSystemPanel() {
  onLanguageChange(render);
  render();
  onSystemStatus((status) => {
    last = status;
    render();
  }, $('system-state'));
}

function render() {
  if (last === undefined) {
    setFault('fault-errorRate', false, t('lp.errorRate', { value: '–' }));
    setFault('fault-slowdown', false, t('lp.slowdown', { value: '–' }));
    setFault('fault-outage', false, t('lp.outageUnknown'));
    return;
  }
  renderLp(last?.lp ?? null);
  renderBacklog(last?.backlog ?? null);
  renderBrokerLog(last?.brokerLog ?? null);
  renderLost(last?.lost ?? null);
}

function renderLp(lp) {
  $('lp-block').hidden = !lp;
  $('lp-unavailable').hidden = !!lp;
  if (!lp) return;
  const capacity = num(lp.capacity);
  const inFlight = num(lp.inFlightRuns) ?? 0;
  const waiting = num(lp.waitingRuns) ?? 0;
  $('lp-inflight-text').textContent = capacity != null ? `${show(inFlight)} / ${show(capacity)}` : show(inFlight);
  const bar = $('lp-capacity-bar');
  const fraction = capacity ? Math.min(1, inFlight / capacity) : 0;
  $('lp-capacity-fill').style.width = `${(fraction * 100).toFixed(1)}%`;
  bar.dataset.level = fraction >= 1 ? 'full' : fraction >= 0.75 ? 'high' : 'normal';
  bar.setAttribute('aria-valuemax', String(capacity ?? 0));
  bar.setAttribute('aria-valuenow', String(inFlight));
  bar.setAttribute('aria-valuetext', t('lp.barValue', { n: show(inFlight), capacity: show(capacity), waiting: show(waiting) }));

  const waitingEl = $('lp-waiting');
  waitingEl.textContent = show(waiting);
  waitingEl.classList.toggle('hot', waiting > 0);
  $('lp-peak').textContent = show(num(lp.peakConcurrentRuns));
  $('lp-runcalls').textContent = show(num(lp.runCalls));
  const duplicates = num(lp.duplicateRunExecutions);
  $('lp-duplicates').textContent = show(duplicates);
  $('lp-duplicates').classList.toggle('hot', (duplicates ?? 0) > 0);

  const faults = lp.faults || {};
  const errorRate = num(faults.errorRate) ?? 0;
  const slowdown = num(faults.slowdownFactor) ?? 1;
  const outage = faults.outage === true;
  setFault('fault-errorRate', errorRate > 0,
    t('lp.errorRate', { value: formatNumber(errorRate, { style: 'percent', maximumFractionDigits: 1 }) }));
  setFault('fault-slowdown', slowdown !== 1,
    t('lp.slowdown', { value: `×${formatNumber(slowdown, { maximumFractionDigits: 2 })}` }));
  setFault('fault-outage', outage, t(outage ? 'lp.outage' : 'lp.noOutage'));
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
  el.textContent = messages == null ? '–' : t('backlog.messages', { n: messages, count: show(messages) });
  el.classList.toggle('hot', (messages ?? 0) > 0);
}

/** Local mode's bound on unread reports per partition (null with a real broker). */
function renderBrokerLog(bound) {
  $('broker-log-block').hidden = !bound;
  if (!bound) return;
  const mb = (bytes) => (num(bytes) == null ? '–' : (bytes / 1048576).toFixed(1));
  const el = $('broker-log-value');
  el.textContent = t('brokerLog.value', { used: mb(bound.fullestPartitionBytes), limit: mb(bound.partitionLimitBytes), refused: show(num(bound.refused)) });
  el.classList.toggle('hot', (num(bound.refused) ?? 0) > 0);
}

/** Messages that left the log unread: never silent. */
function renderLost(lost) {
  const messages = num(lost?.messages) ?? 0;
  $('lost-messages').hidden = messages === 0;
  if (messages === 0) return;
  $('lost-messages').textContent = t('lost.messages', { messages: show(messages), reports: show(num(lost.reports)) });
}
