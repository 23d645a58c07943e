// The live scale-out panel: completed reports per second over the last minutes (an SVG line, no library), the Kafka
// backlog, LP's slots against its capacity, the processor instances with the partitions each owns, a banner while
// they have paused, and why the curve does or does not move. That judgement is the server's (processing.bottleneck
// in GET /api/system); this module only words it. Instances are added and removed in the Aspire dashboard.
import { $, esc } from './dom.js';
import { addStrings, formatNumber, formatTime, onLanguageChange, t } from './i18n.js';
import { onSystemStatus } from './system-status.js';

addStrings({
  en: {
    'scale.heading': 'Processors & throughput',
    'scale.chart': 'Completed reports per second, last 3 minutes',
    'scale.chartLabel': 'Completed reports per second over the last 3 minutes: now {now}, highest {peak}.',
    'scale.axisStart': '−3 min',
    'scale.axisEnd': 'now',
    'scale.perSecond': '{n}/s',
    'scale.rate': 'Completed now',
    'scale.backlog': 'Kafka backlog',
    'scale.lpSlots': 'LP slots busy',
    'scale.instances': 'Instances',
    'scale.partitionCount': 'Partitions',
    'scale.of': '{n} / {max}',
    'scale.instanceList': 'Processor instances',
    'scale.partitions': 'partitions',
    'scale.noPartition': 'no partition: idle',
    'scale.inFlight': '{n} / {max} in flight',
    'scale.completed': '{n} completed',
    'scale.pausedFor': 'paused: {dependency}',
    'scale.noInstances': 'No processor instance is running.',
    'scale.unavailable': 'Processors: unavailable (the database cannot be reached)',
    'scale.paused': 'Paused — {dependency} has been unavailable since {since}; {n} reports waiting. '
      + 'The processors resume by themselves when it answers again.',
    'scale.dependency.LP': 'LP',
    'scale.dependency.database': 'the database',
    'scale.bottleneck.none': 'Nothing is saturated: the processors keep up with what is submitted, so the curve follows the load.',
    'scale.bottleneck.paused': 'The processors wait for {dependency}: another instance changes nothing until it is back.',
    'scale.bottleneck.no-processors': 'No processor instance runs: accepted reports wait in Kafka until one is added.',
    'scale.bottleneck.lp': ({ slots }) => (slots === 1
      ? 'LP is the bottleneck: its one LPRUN slot is busy and {waiting} runs wait for it. '
      : 'LP is the bottleneck: all {capacity} LPRUN slots are busy and {waiting} runs wait for one. ')
      + 'Another processor instance would only wait too — raise LP\'s capacity first.',
    'scale.bottleneck.processors': 'The processors are the bottleneck: every instance works at its in-flight limit ({max} reports) '
      + 'while LP has free slots. Another instance raises the curve — until the partitions or the machine\'s CPU run out.',
    'scale.bottleneck.machine': 'This machine is the bottleneck: LP has free slots, yet the processors get through their reports '
      + 'slower than LP could — their CPU and database work, on cores everything here shares. Another instance on the same '
      + 'machine would not raise the curve; more cores would.',
    'scale.bottleneck.partitions': 'The partition count caps it: each of the {partitions} partitions has its own busy instance. '
      + 'An instance beyond {partitions} would own no partition and stay idle; more throughput needs more partitions.',
    'scale.how': 'Add or remove instances in the Aspire dashboard: <code>processor-pool</code> → <em>Add an instance</em>. '
      + 'LP\'s capacity: <code>lpmock</code> → <em>LP: set capacity…</em>',
    'scale.mark.instances': ({ n }) => (n === 1 ? '1 instance' : '{n} instances'),
    'scale.mark.capacity': 'LP {n}',
  },
  ko: {
    'scale.heading': '프로세서와 처리량',
    'scale.chart': '초당 완료된 보고서, 최근 3분',
    'scale.chartLabel': '최근 3분간 초당 완료된 보고서: 현재 {now}, 최고 {peak}.',
    'scale.axisStart': '−3분',
    'scale.axisEnd': '현재',
    'scale.perSecond': '초당 {n}건',
    'scale.rate': '현재 완료 속도',
    'scale.backlog': 'Kafka 적체',
    'scale.lpSlots': '사용 중인 LP 슬롯',
    'scale.instances': '인스턴스',
    'scale.partitionCount': '파티션',
    'scale.of': '{n} / {max}',
    'scale.instanceList': '프로세서 인스턴스',
    'scale.partitions': '파티션',
    'scale.noPartition': '파티션 없음: 유휴',
    'scale.inFlight': '동시 처리 {n} / {max}',
    'scale.completed': '{n}건 완료',
    'scale.pausedFor': '일시 중지: {dependency}',
    'scale.noInstances': '실행 중인 프로세서 인스턴스가 없습니다.',
    'scale.unavailable': '프로세서: 확인 불가 (데이터베이스에 연결할 수 없음)',
    'scale.paused': '일시 중지 — {since}부터 {dependency}에 연결할 수 없습니다. {n}건이 대기 중이며, '
      + '응답이 돌아오면 프로세서가 스스로 재개합니다.',
    'scale.dependency.LP': 'LP',
    'scale.dependency.database': '데이터베이스',
    'scale.bottleneck.none': '포화된 곳이 없습니다. 프로세서가 들어오는 만큼 처리하므로 그래프는 부하를 따라갑니다.',
    'scale.bottleneck.paused': '프로세서가 {dependency} 복구를 기다리고 있습니다. 복구될 때까지는 인스턴스를 추가해도 달라지지 않습니다.',
    'scale.bottleneck.no-processors': '실행 중인 프로세서 인스턴스가 없습니다. 인스턴스를 추가할 때까지 접수된 보고서는 Kafka에서 기다립니다.',
    'scale.bottleneck.lp': 'LP가 병목입니다. LPRUN 슬롯 {capacity}개가 모두 사용 중이고 {waiting}건이 슬롯을 기다립니다. '
      + '프로세서 인스턴스를 추가해도 함께 기다릴 뿐이니 먼저 LP 용량을 늘리세요.',
    'scale.bottleneck.processors': '프로세서가 병목입니다. LP에 빈 슬롯이 있는데도 모든 인스턴스가 동시 처리 한도({max}건)까지 '
      + '일하고 있습니다. 인스턴스를 추가하면 그래프가 올라갑니다. 단, 파티션이나 머신의 CPU가 한계에 이르기 전까지입니다.',
    'scale.bottleneck.machine': '이 머신이 병목입니다. LP에 빈 슬롯이 있는데도 프로세서가 LP보다 느리게 보고서를 처리합니다. '
      + '모든 구성 요소가 같은 코어를 나눠 쓰는 가운데 CPU·데이터베이스 작업이 발목을 잡고 있습니다. 같은 머신에 인스턴스를 '
      + '더 추가해도 그래프는 오르지 않으며, 코어를 늘려야 합니다.',
    'scale.bottleneck.partitions': '파티션 수가 상한입니다. 파티션 {partitions}개마다 바쁜 인스턴스가 하나씩 있습니다. '
      + '{partitions}개를 넘는 인스턴스는 파티션을 받지 못해 놀게 되므로, 처리량을 더 올리려면 파티션을 늘려야 합니다.',
    'scale.how': '인스턴스 추가·제거는 Aspire 대시보드에서: <code>processor-pool</code> → <em>Add an instance</em>. '
      + 'LP 용량은 <code>lpmock</code> → <em>LP: set capacity…</em>',
    'scale.mark.instances': '인스턴스 {n}개',
    'scale.mark.capacity': 'LP {n}',
  },
});

/** The chart's span in seconds (the server keeps 3 minutes of samples) and its smoothing (LPRUN's jitter). */
const WINDOW_S = 180;
const SMOOTH_S = 5;
/** "Completed now": the last complete seconds, averaged. */
const NOW_S = 10;
const CHART_HEIGHT = 60;

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const show = (v) => (v == null ? '–' : formatNumber(v));
const rate = (v) => t('scale.perSecond', { n: formatNumber(v, { maximumFractionDigits: 1 }) });
const dependencyName = (dependency) => {
  const key = `scale.dependency.${dependency}`;
  return ['LP', 'database'].includes(dependency) ? t(key) : dependency;
};

/** The last answer (undefined until the first poll, null when it failed), kept to re-render on a language change. */
let last;
/** Changes seen while the page is open (instances started or stopped, LP resized), marked on the chart. */
const marks = [];
let seen = { instances: null, capacity: null };

export function startScalePanel() {
  onLanguageChange(render);
  onSystemStatus((status) => {
    last = status;
    remember(status);
    render();
  }, $('scale-state'));
  render();
}

function remember(status) {
  const now = Date.now();
  const instances = status?.processing ? status.processing.instances.length : null;
  const capacity = num(status?.lp?.capacity);
  if (instances != null && seen.instances != null && instances !== seen.instances) marks.push({ at: now, kind: 'instances', n: instances });
  if (capacity != null && seen.capacity != null && capacity !== seen.capacity) marks.push({ at: now, kind: 'capacity', n: capacity });
  seen = { instances: instances ?? seen.instances, capacity: capacity ?? seen.capacity };
  while (marks.length && marks[0].at < now - WINDOW_S * 1000) marks.shift();
}

function render() {
  if (last === undefined) return;
  const processing = last?.processing ?? null;
  const lp = last?.lp ?? null;
  $('scale-unavailable').hidden = !!processing || last === null;
  $('scale-body').hidden = !processing;
  if (!processing) return;

  renderPause(processing.pause);
  renderBottleneck(processing, lp, last.backlog);
  const perSecond = secondsOf(processing.completedPerSecond);
  renderChart(perSecond);

  const nowRate = perSecond.slice(-NOW_S).reduce((sum, n) => sum + n, 0) / NOW_S;
  $('scale-rate').textContent = rate(nowRate);
  const backlog = num(last.backlog?.messages);
  $('scale-backlog').textContent = show(backlog);
  $('scale-backlog').classList.toggle('hot', (backlog ?? 0) > 0);
  const lpFull = lp && lp.inFlightRuns >= lp.capacity;
  $('scale-lp-slots').textContent = lp ? t('scale.of', { n: show(lp.inFlightRuns), max: show(lp.capacity) }) : '–';
  $('scale-lp-slots').classList.toggle('hot', Boolean(lpFull));
  $('scale-instance-count').textContent = show(processing.instances.length);
  $('scale-partition-count').textContent = show(num(last.backlog?.partitions));
  renderInstances(processing.instances);
}

function renderPause(pause) {
  const banner = $('scale-pause');
  banner.hidden = !pause;
  if (!pause) return;
  banner.textContent = t('scale.paused', {
    dependency: dependencyName(pause.dependency),
    since: formatTime(pause.since),
    n: formatNumber(pause.waiting),
  });
  banner.title = pause.reason || '';
}

function renderBottleneck(processing, lp, backlog) {
  const kind = processing.bottleneck;
  const el = $('scale-bottleneck');
  el.dataset.kind = kind;
  el.textContent = t(`scale.bottleneck.${kind}`, {
    dependency: dependencyName(processing.pause?.dependency),
    slots: num(lp?.capacity),
    capacity: show(num(lp?.capacity)),
    waiting: show(num(lp?.waitingRuns)),
    max: show(Math.max(0, ...processing.instances.map((instance) => instance.maxInFlight))),
    partitions: show(num(backlog?.partitions)),
  });
}

/** Completions per second for each of the last WINDOW_S complete seconds, oldest first (seconds without any are 0). */
function secondsOf(samples) {
  const end = Math.floor(Date.now() / 1000); // the current second is still filling up: left out
  const counts = new Array(WINDOW_S).fill(0);
  for (const sample of samples) {
    const index = WINDOW_S - (end - Math.floor(Date.parse(sample.second) / 1000));
    if (index >= 0 && index < WINDOW_S) counts[index] = sample.completed;
  }
  return counts;
}

function renderChart(perSecond) {
  const smooth = perSecond.map((_, i) => {
    const from = Math.max(0, i - SMOOTH_S + 1);
    return perSecond.slice(from, i + 1).reduce((sum, n) => sum + n, 0) / (i + 1 - from);
  });
  const peak = Math.max(...smooth);
  const top = niceCeiling(Math.max(peak, 1));
  const y = (v) => (CHART_HEIGHT - (v / top) * CHART_HEIGHT).toFixed(2);
  const line = smooth.map((v, i) => `${i === 0 ? 'M' : 'L'}${i + 0.5},${y(v)}`).join(' ');
  $('scale-chart-line').setAttribute('d', line);
  $('scale-chart-area').setAttribute('d', `${line} L${WINDOW_S - 0.5},${CHART_HEIGHT} L0.5,${CHART_HEIGHT} Z`);
  $('scale-chart-top').textContent = rate(top);
  $('scale-chart').setAttribute('aria-label', t('scale.chartLabel', { now: rate(smooth[smooth.length - 1]), peak: rate(peak) }));

  const now = Date.now();
  $('scale-chart-marks').innerHTML = marks.map((mark) => {
    const left = Math.max(0, (100 * (WINDOW_S - (now - mark.at) / 1000)) / WINDOW_S);
    const label = t(mark.kind === 'instances' ? 'scale.mark.instances' : 'scale.mark.capacity', { n: mark.n });
    // Near the right edge the label goes to the line's left, so it stays inside the chart.
    const place = left > 70 ? `right:${(100 - left).toFixed(2)}%` : `left:${left.toFixed(2)}%`;
    return `<span class="chart-mark chart-mark-${mark.kind}${left > 70 ? ' chart-mark-end' : ''}" style="${place}">${esc(label)}</span>`;
  }).join('');
}

/** 1, 2, 5 × 10ⁿ at or above value: axis tops a person reads at a glance. */
function niceCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value);
}

function renderInstances(instances) {
  const list = $('scale-instances');
  $('scale-no-instances').hidden = instances.length > 0;
  list.innerHTML = instances.map((instance) => {
    const partitions = instance.partitions.length
      ? `<span class="partitions" aria-label="${esc(t('scale.partitions'))}">${instance.partitions
        .map((p) => `<span class="partition">p${esc(p)}</span>`).join('')}</span>`
      : `<span class="partitions idle">${esc(t('scale.noPartition'))}</span>`;
    const busy = instance.maxInFlight > 0 && instance.inFlight >= instance.maxInFlight;
    const paused = instance.pausedFor
      ? `<span class="instance-paused">${esc(t('scale.pausedFor', { dependency: dependencyName(instance.pausedFor) }))}</span>`
      : '';
    return `<li class="instance" data-instance-id="${esc(instance.instanceId)}" data-partitions="${instance.partitions.length}">
      <span class="instance-id">${esc(instance.instanceId)}</span>${paused}
      ${partitions}
      <span class="instance-load${busy ? ' hot' : ''}">${esc(t('scale.inFlight', { n: show(instance.inFlight), max: show(instance.maxInFlight) }))}</span>
      <span class="instance-completed">${esc(t('scale.completed', { n: show(instance.completed) }))}</span>
    </li>`;
  }).join('');
}
