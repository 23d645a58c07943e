// The submission form: fields checked as the person types (never blocking — the server decides), field errors in
// the page's language, the Idempotency-Key field, and the message under the buttons.
import { $ } from './dom.js';
import { addStrings, formatNumber, onLanguageChange, setParams, t } from './i18n.js';
import {
  createValidator, currentPeriod, errorText, FIELDS, KEY_FIELD, PERIOD_FORMAT, UNKNOWN_LIMIT,
} from './validation.js';

addStrings({
  en: {
    'form.heading': 'Submit a report',
    'field.reporterId.label': 'Reporter id',
    'field.reporterId.hint': '1–{max} letters, digits, “-” or “_”.',
    'field.reportType.label': 'Report type',
    'field.reportType.hint': '1–{max} characters.',
    'field.period.label': 'Period',
    'field.period.hint': '{format}, e.g. {example}.',
    'field.period.placeholder': '{format}',
    'field.title.label': 'Title',
    'field.title.hint': '1–{max} characters.',
    'field.content.label': 'Content',
    'field.content.hint': 'Optional, at most {max} characters.',
    'form.advanced': 'Advanced',
    'field.key.optional': '(optional header)',
    'field.key.placeholder': 'empty: a new key for each submission',
    'field.key.hint': 'Left empty, the page sends a new key with each submission and the same key again when it retries '
      + 'that submission, so a retry never makes a second report. A key you type is sent as it is: the same key always '
      + 'names the same report. 1–{max} printable ASCII characters, no spaces.',
    'form.newKey': 'New key',
    'form.note': 'Fields are checked as you type, but nothing is blocked: the server always decides.',
    'form.limitsUnavailable': 'The field limits could not be loaded from the server ({reason}); trying again. The server still checks every field.',
    'form.submitSync': 'Submit (sync, as-is)',
    'form.submitAsync': 'Submit (async, via Kafka)',
    'form.check.browser': 'browser check',
    'form.check.server': 'server check',
    'sample.title': 'Monthly sales report',
    'sample.content': 'Sales rose in every region this month.',
  },
  ko: {
    'form.heading': '보고서 제출',
    'field.reporterId.label': '보고자 ID',
    'field.reporterId.hint': '영문자, 숫자, “-”, “_”로 1–{max}자.',
    'field.reportType.label': '보고서 유형',
    'field.reportType.hint': '1–{max}자.',
    'field.period.label': '기간',
    'field.period.hint': '{format} 형식 (예: {example}).',
    'field.period.placeholder': '예: {example}',
    'field.title.label': '제목',
    'field.title.hint': '1–{max}자.',
    'field.content.label': '내용',
    'field.content.hint': '선택 항목, 최대 {max}자.',
    'form.advanced': '고급 설정',
    'field.key.optional': '(선택 헤더)',
    'field.key.placeholder': '비워 두면 제출할 때마다 새 키 사용',
    'field.key.hint': '비워 두면 페이지가 제출할 때마다 새 키를 만들어 보내고, 같은 제출을 재시도할 때는 그 키를 다시 '
      + '보냅니다. 그래서 재시도해도 보고서가 두 번 만들어지지 않습니다. 직접 입력한 키는 그대로 전송되며, 같은 키는 '
      + '항상 같은 보고서를 가리킵니다. 공백 없는 출력 가능 ASCII 문자 1–{max}자.',
    'form.newKey': '새 키',
    'form.note': '입력하는 동안 브라우저가 먼저 검사하지만 제출을 막지는 않습니다. 최종 판단은 언제나 서버가 합니다.',
    'form.limitsUnavailable': '서버에서 입력 제한을 불러오지 못해 다시 시도하는 중입니다({reason}). 모든 항목은 여전히 서버가 검사합니다.',
    'form.submitSync': '제출 (동기, 기존 방식)',
    'form.submitAsync': '제출 (비동기, Kafka 경유)',
    'form.check.browser': '브라우저 검사',
    'form.check.server': '서버 검사',
    'sample.title': '월간 매출 보고서',
    'sample.content': '이번 달에는 모든 지역에서 매출이 늘었습니다.',
  },
});

const ALL_FIELDS = [...FIELDS, KEY_FIELD];
const keyInput = $('idempotencyKey');
const inputFor = (field) => (field === KEY_FIELD ? keyInput : $(field));

let validator = createValidator(null);
let contentMax = null;
/** What each field's error element shows: { error, source }, kept so a language change can re-render it. */
const fieldErrors = new Map();
let message = null;

export function currentValidator() { return validator; }

export function initForm() {
  if (!$('period').value) $('period').value = currentPeriod();
  fillSamples();
  for (const field of ALL_FIELDS) {
    const input = inputFor(field);
    input.addEventListener('input', () => {
      input.dataset.touched = 'true';
      checkInBrowser(field);
      if (field === 'content') renderContentCount();
    });
    input.addEventListener('blur', () => { if (input.dataset.touched) checkInBrowser(field); });
  }
  $('new-key').addEventListener('click', () => {
    keyInput.value = newKey();
    showFieldError(KEY_FIELD, null);
  });
  setHintParams(null);
  onLanguageChange(() => {
    fillSamples();
    for (const field of fieldErrors.keys()) renderFieldError(field);
    renderContentCount();
    renderMessage();
  });
}

/** Sample text in the page's language, in fields that are empty or still hold the previous language's sample. */
const samples = new Map();
function fillSamples() {
  for (const field of ['title', 'content']) {
    const input = $(field);
    const sample = t(`sample.${field}`);
    if (input.value === '' || input.value === samples.get(field)) input.value = sample;
    samples.set(field, sample);
  }
}

/** Limits from the server: the checks and hints use its numbers from now on. */
export function useLimits(limits) {
  validator = createValidator(limits);
  contentMax = limits.contentMaxLength;
  setHintParams(limits);
  $('limits-note').hidden = true;
  for (const field of ALL_FIELDS) if (inputFor(field).dataset.touched) checkInBrowser(field);
}

export function showLimitsUnavailable(error) {
  const note = $('limits-note');
  setParams(note, { reason: error.message });
  note.hidden = false;
}

function setHintParams(limits) {
  const max = (n) => ({ max: n != null ? formatNumber(n) : UNKNOWN_LIMIT });
  const period = { format: limits?.periodFormat ?? PERIOD_FORMAT, example: currentPeriod() };
  setParams($('hint-reporterId'), max(limits?.reporterIdMaxLength));
  setParams($('hint-reportType'), max(limits?.reportTypeMaxLength));
  setParams($('hint-period'), period);
  setParams($('period'), period);
  setParams($('hint-title'), max(limits?.titleMaxLength));
  setParams($('hint-content-text'), max(limits?.contentMaxLength));
  setParams($('hint-idempotencyKey'), max(limits?.idempotencyKeyMaxLength));
  renderContentCount();
}

function renderContentCount() {
  const n = $('content').value.length;
  const el = $('content-count');
  el.textContent = contentMax != null ? `${formatNumber(n)} / ${formatNumber(contentMax)}` : formatNumber(n);
  el.classList.toggle('over', contentMax != null && n > contentMax);
}

function checkInBrowser(field) {
  showFieldError(field, validator.check(field, inputFor(field).value), 'browser');
}

/** The body as typed, and the key the person typed ('' when they left it to the page). */
export function readForm() {
  const body = {};
  for (const field of FIELDS) body[field] = inputFor(field).value;
  return { body, typedKey: keyInput.value.trim() };
}

export function isKnownField(field) { return ALL_FIELDS.includes(field); }

/** Shows (or with null clears) a field's error: { code, params } in the page's words or { serverText }. */
export function showFieldError(field, error, source) {
  if (error) fieldErrors.set(field, { error, source }); else fieldErrors.delete(field);
  renderFieldError(field);
}

function renderFieldError(field) {
  const el = $(`error-${field}`);
  const input = inputFor(field);
  const shown = fieldErrors.get(field);
  el.textContent = shown ? errorText(shown.error) : '';
  if (shown) {
    el.dataset.source = shown.source;
    el.dataset.sourceLabel = t(`form.check.${shown.source}`);
    input.setAttribute('aria-invalid', 'true');
  } else {
    delete el.dataset.source;
    delete el.dataset.sourceLabel;
    input.removeAttribute('aria-invalid');
  }
}

export function clearFieldErrors() {
  for (const field of ALL_FIELDS) showFieldError(field, null);
}

export function focusField(field) {
  const input = inputFor(field);
  if (field === KEY_FIELD) input.closest('details').open = true;
  input.focus();
}

/** The message under the buttons; render() gives its HTML in the current language (re-run on a language change). */
export function showMessage(kind, render) {
  message = render ? { kind, render } : null;
  renderMessage();
}

function renderMessage() {
  const el = $('form-message');
  el.hidden = !message;
  el.className = message ? `form-message ${message.kind}` : 'form-message';
  el.innerHTML = message ? message.render() : '';
}

/** A fresh Idempotency-Key: a UUID where the browser offers one, else 128 random bits in hex. */
export function newKey() {
  if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
