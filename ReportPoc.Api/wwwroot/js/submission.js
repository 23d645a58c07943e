// Sending a report either way and reading the answer. Every submission carries an Idempotency-Key: the one the
// person typed, or a fresh one from the page. When an answer leaves the outcome open (no answer, 408, 429, 5xx
// other than LP's verdict 502) the page keeps that key, and sending the same report on the same path again — the
// Retry button or the same submit button — reuses it, so a retry can never make a second report.
import { $, esc } from './dom.js';
import { addStrings, formatNumber, t } from './i18n.js';
import {
  clearFieldErrors, currentValidator, focusField, isKnownField, newKey, readForm, showFieldError, showMessage,
} from './form.js';
import { shortId, statusText } from './reports.js';
import { addHistory, finishWaiting, startWaiting } from './timings.js';
import { explainServerError, KEY_FIELD } from './validation.js';

addStrings({
  en: {
    'submit.outcome.sync': '200 · {status} · report {id}',
    'submit.outcome.accepted': '{code} · {status} · report {id} · processing in the background',
    'submit.outcome.invalid': '400 · invalid fields — nothing was submitted',
    'submit.outcome.tooLarge': '413 · too large — nothing was submitted',
    'submit.outcome.conflict': '422 · the key was used for another report',
    'submit.outcome.tooMany': '429 · too many requests',
    'submit.outcome.lpFailed': '502 · the LP system failed the report',
    'submit.outcome.unavailable': '503 · broker unavailable, nothing accepted',
    'submit.outcome.unknown': '503 · outcome unknown',
    'submit.outcome.network': 'No answer: the Api could not be reached.',
    'submit.outcome.other': '{code} · {title}',
    'submit.outcome.retryAfter': ' · retry after {s} s',
    'submit.unexpected': 'Unexpected answer',
    'submit.msg.network': '<strong>The Api could not be reached.</strong> {reason}',
    'submit.msg.invalid': '<strong>The report has invalid fields.</strong>',
    'submit.msg.seeFields': 'See the messages next to the fields.',
    'submit.msg.body': 'Request body',
    'submit.msg.tooLarge': '<strong>413 · The report is too large to send.</strong> A request body may have at most {bytes} bytes.',
    'submit.msg.conflict': '<strong>422 · This Idempotency-Key was already used for a different report.</strong> '
      + 'Use a new key for a new report, or clear the field and the page makes one for each submission.',
    'submit.msg.tooMany': '<strong>429 · Too many requests.</strong>',
    'submit.msg.lpFailed': '<strong>502 · The LP system failed the report.</strong>',
    'submit.msg.lpFailedWait': 'The user waited all this time only to get an error.',
    'submit.msg.report': 'report {id}',
    'submit.msg.unavailable': '<strong>503 · The message broker is unavailable; nothing was accepted.</strong>',
    'submit.msg.unknown': '<strong>503 · The broker did not confirm in time: the report may or may not have been accepted.</strong>',
    'submit.msg.checkStatus': 'Check its status',
    'submit.msg.retryAfter': 'Retry after {s} s.',
    'submit.msg.retry': 'Sending the same report again resends the same Idempotency-Key (…{tail}), so a retry never makes a second report.',
    'submit.msg.retryNow': 'Retry now',
    'submit.msg.other': '<strong>{code} · {title}</strong> {detail}',
  },
  ko: {
    'submit.outcome.sync': '200 · {status} · 보고서 {id}',
    'submit.outcome.accepted': '{code} · {status} · 보고서 {id} · 백그라운드에서 처리 중',
    'submit.outcome.invalid': '400 · 입력 오류 — 아무것도 제출되지 않음',
    'submit.outcome.tooLarge': '413 · 요청이 너무 큼 — 아무것도 제출되지 않음',
    'submit.outcome.conflict': '422 · 다른 보고서에 이미 쓰인 키',
    'submit.outcome.tooMany': '429 · 요청이 너무 많음',
    'submit.outcome.lpFailed': '502 · LP 시스템이 보고서 처리에 실패',
    'submit.outcome.unavailable': '503 · 브로커 사용 불가, 접수되지 않음',
    'submit.outcome.unknown': '503 · 접수 여부 알 수 없음',
    'submit.outcome.network': '응답 없음: API에 연결할 수 없습니다.',
    'submit.outcome.other': '{code} · {title}',
    'submit.outcome.retryAfter': ' · {s}초 후 재시도',
    'submit.unexpected': '예상하지 못한 응답',
    'submit.msg.network': '<strong>API에 연결할 수 없습니다.</strong> {reason}',
    'submit.msg.invalid': '<strong>보고서에 잘못된 항목이 있습니다.</strong>',
    'submit.msg.seeFields': '각 항목 옆의 메시지를 확인하세요.',
    'submit.msg.body': '요청 본문',
    'submit.msg.tooLarge': '<strong>413 · 보고서가 너무 커서 보낼 수 없습니다.</strong> 요청 본문은 최대 {bytes}바이트까지입니다.',
    'submit.msg.conflict': '<strong>422 · 이 Idempotency-Key는 이미 내용이 다른 보고서에 사용되었습니다.</strong> '
      + '새 보고서에는 새 키를 쓰세요. 입력란을 비워 두면 페이지가 제출할 때마다 새 키를 만듭니다.',
    'submit.msg.tooMany': '<strong>429 · 요청이 너무 많습니다.</strong>',
    'submit.msg.lpFailed': '<strong>502 · LP 시스템이 보고서 처리에 실패했습니다.</strong>',
    'submit.msg.lpFailedWait': '사용자는 이 시간을 모두 기다리고도 오류만 받았습니다.',
    'submit.msg.report': '보고서 {id}',
    'submit.msg.unavailable': '<strong>503 · 메시지 브로커를 사용할 수 없어 아무것도 접수되지 않았습니다.</strong>',
    'submit.msg.unknown': '<strong>503 · 브로커가 제시간에 확인해 주지 않아 보고서가 접수되었는지 알 수 없습니다.</strong>',
    'submit.msg.checkStatus': '상태 확인',
    'submit.msg.retryAfter': '{s}초 후에 다시 시도하세요.',
    'submit.msg.retry': '같은 보고서를 다시 보내면 같은 Idempotency-Key(…{tail})를 다시 보내므로, 재시도해도 보고서가 두 번 만들어지지 않습니다.',
    'submit.msg.retryNow': '지금 재시도',
    'submit.msg.other': '<strong>{code} · {title}</strong> {detail}',
  },
});

const URLS = { sync: '/api/reports/sync', async: '/api/reports' };

/** Per path, the last submission whose outcome is open: sending it again reuses its key. */
const open = { sync: null, async: null };
let reportSubmitted = () => {};

/** onReport(view, statusUrl, body) hears of every report an answer names, for the board to follow. */
export function initSubmission({ onReport }) {
  reportSubmitted = onReport;
  $('report-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.submitter?.dataset.path ? event.submitter : $('submit-sync');
    submit(button.dataset.path, prepare(button.dataset.path, readForm()));
  });
  $('form-message').addEventListener('click', (event) => {
    const path = event.target.closest('[data-retry]')?.dataset.retry;
    if (path && open[path]) submit(path, { ...open[path], attempt: open[path].attempt + 1 });
  });
}

/** The same report (and typed key) as the open submission on this path is a retry of it; anything else is new. */
function prepare(path, { body, typedKey }) {
  const fingerprint = JSON.stringify([body, typedKey]);
  const previous = open[path];
  if (previous?.fingerprint === fingerprint) return { ...previous, attempt: previous.attempt + 1 };
  return { body, key: typedKey || newKey(), fingerprint, attempt: 1 };
}

function isOpenOutcome(status) { return status === 408 || status === 429 || (status >= 500 && status !== 502); }

async function submit(path, submission) {
  const button = $(`submit-${path}`);
  if (button.disabled) return;
  clearFieldErrors();
  showMessage(null);
  const validator = currentValidator();
  if (!validator.canSendKey(submission.key)) {
    showFieldError(KEY_FIELD, validator.check(KEY_FIELD, submission.key), 'browser');
    focusField(KEY_FIELD);
    return;
  }

  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  startWaiting(path);
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, application/problem+json',
    [validator.limits?.idempotencyKeyHeader ?? KEY_FIELD]: submission.key,
  };
  const started = performance.now();
  let response = null; let text = ''; let failure = null;
  try {
    response = await fetch(URLS[path], { method: 'POST', headers, body: JSON.stringify(submission.body), cache: 'no-store' });
    text = await response.text();
  } catch (error) {
    failure = error;
  }
  const waited = performance.now() - started;
  button.disabled = false;
  button.removeAttribute('aria-busy');

  open[path] = failure || isOpenOutcome(response.status) ? submission : null;
  const answered = (kind, outcome) => {
    finishWaiting(path, waited, kind, outcome);
    addHistory(path, waited, outcome, submission);
  };
  if (failure) {
    answered('error', () => t('submit.outcome.network'));
    showMessage('error', () => `${t('submit.msg.network', { reason: esc(failure.message) })} ${retryHtml(path)}`);
    return;
  }
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: the status code still says enough */ }
  handleAnswer(path, response, json, submission, waited, answered);
}

function handleAnswer(path, response, json, submission, waited, answered) {
  const { status } = response;
  const { body } = submission;

  if (status === 200 && json?.id) {
    reportSubmitted(json, json.statusUrl ?? null, body);
    answered(json.status === 'Failed' ? 'error' : 'ok',
      () => t('submit.outcome.sync', { status: statusText(json.status), id: shortId(json.id) }));
    return;
  }

  if (status >= 200 && status < 300) {
    const id = json?.id;
    if (id) {
      reportSubmitted({
        id, status: json.status || 'Accepted', path,
        title: body.title, reporterId: body.reporterId, reportType: body.reportType, period: body.period,
        timestamps: { acceptedAt: json.acceptedAt || new Date().toISOString() }, attempts: 0,
      }, json.statusUrl || response.headers.get('Location'), body);
    }
    answered('ok', () => t('submit.outcome.accepted', { code: status, status: statusText('Accepted'), id: id ? shortId(id) : '–' }));
    return;
  }

  if (status === 400 && json?.errors) {
    showFieldErrors(json.errors, submission);
    answered('warn', () => t('submit.outcome.invalid'));
    return;
  }

  if (status === 413) {
    const bytes = currentValidator().limits?.maxBodyBytes;
    showMessage('warn', () => t('submit.msg.tooLarge', { bytes: bytes != null ? formatNumber(bytes) : '–' }));
    answered('warn', () => t('submit.outcome.tooLarge'));
    return;
  }

  if (status === 422) {
    showMessage('warn', () => t('submit.msg.conflict'));
    answered('warn', () => t('submit.outcome.conflict'));
    return;
  }

  if (status === 502) {
    const reportId = json?.reportId;
    if (reportId) {
      reportSubmitted({
        id: reportId, status: 'Failed', path, title: body.title, attempts: 1, lastError: json?.detail ?? null,
        timestamps: { acceptedAt: new Date(Date.now() - waited).toISOString(), failedAt: new Date().toISOString() },
      }, json?.statusUrl ?? null, body);
    }
    showMessage('error', () => `${t('submit.msg.lpFailed')}${json?.detail ? ` ${esc(json.detail)}` : ''}`
      + `${reportId ? ` <span class="mono">(${esc(t('submit.msg.report', { id: shortId(reportId) }))})</span>` : ''}`
      + `<br>${t('submit.msg.lpFailedWait')}`);
    answered('error', () => t('submit.outcome.lpFailed'));
    return;
  }

  const seconds = retryAfterSeconds(response);
  const after = () => (seconds != null ? t('submit.outcome.retryAfter', { s: seconds }) : '');
  const afterHtml = () => (seconds != null ? ` <span class="retry">${t('submit.msg.retryAfter', { s: seconds })}</span>` : '');

  if (status === 429) {
    showMessage('error', () => `${t('submit.msg.tooMany')}${afterHtml()} ${retryHtml(path)}`);
    answered('error', () => `${t('submit.outcome.tooMany')}${after()}`);
    return;
  }

  if (status === 503) {
    // "May have been accepted" comes with the report's status URL; "nothing was accepted" without.
    const statusUrl = json?.statusUrl;
    const unknown = Boolean(statusUrl || json?.reportId);
    showMessage('error', () => `${t(unknown ? 'submit.msg.unknown' : 'submit.msg.unavailable')}`
      + `${statusUrl ? ` <a href="${esc(statusUrl)}" target="_blank" rel="noopener">${t('submit.msg.checkStatus')}</a>.` : ''}`
      + `${afterHtml()} ${retryHtml(path)}`);
    answered('error', () => `${t(unknown ? 'submit.outcome.unknown' : 'submit.outcome.unavailable')}${after()}`);
    return;
  }

  // An answer the page has no words of its own for: the server's (English) problem text.
  const title = () => json?.title || response.statusText || t('submit.unexpected');
  const detail = json?.detail || (json?.errors ? Object.values(json.errors).flat().join(' ') : '');
  showMessage('error', () => t('submit.msg.other', { code: status, title: esc(title()), detail: esc(detail) })
    + (open[path] ? ` ${retryHtml(path)}` : ''));
  answered('error', () => t('submit.outcome.other', { code: status, title: title() }));
}

/** Field errors of a 400: each known field gets the page's reading of it, anything else is listed in the message. */
function showFieldErrors(errors, submission) {
  const validator = currentValidator();
  const fieldNamed = (name) => [...Object.keys(submission.body), KEY_FIELD].find((f) => f.toLowerCase() === name.toLowerCase());
  const general = [];
  let first = null;
  for (const [name, messages] of Object.entries(errors)) {
    const serverText = [].concat(messages).join(' ');
    const field = fieldNamed(name);
    if (field && isKnownField(field)) {
      const sent = field === KEY_FIELD ? submission.key : submission.body[field];
      showFieldError(field, explainServerError(validator, field, sent, serverText), 'server');
      first ??= field;
    } else {
      general.push({ name, serverText });
    }
  }
  if (first) focusField(first);
  showMessage('warn', () => t('submit.msg.invalid') + (general.length
    ? `<ul>${general.map((g) => `<li>${esc(g.name === 'body' ? t('submit.msg.body') : g.name)}: ${esc(g.serverText)}</li>`).join('')}</ul>`
    : ` ${t('submit.msg.seeFields')}`));
}

function retryAfterSeconds(response) {
  const value = response.headers.get('Retry-After');
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

function retryHtml(path) {
  const key = open[path]?.key;
  if (!key) return '';
  return `${t('submit.msg.retry', { tail: esc(key.slice(-6)) })} `
    + `<button type="button" class="secondary retry-now" data-retry="${path}">${t('submit.msg.retryNow')}</button>`;
}
