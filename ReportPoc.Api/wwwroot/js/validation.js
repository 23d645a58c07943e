// The page's check of a submission, built from the server's limits (GET /api/reports/limits). The numbers come from
// the server; the shapes (which characters, the period's form) are the page's copy of SubmitReportRequest's rules.
// The rules run in the server's order, so a value that breaks several rules gets the same first error as from the
// server — which is what lets the page translate a server field error by re-checking the value it sent.
import { addStrings, t } from './i18n.js';

addStrings({
  en: {
    'error.required': 'Must not be empty.',
    'error.maxLength': 'At most {max} characters.',
    'error.storableLine': 'No control or format characters (such as line breaks, U+202E or zero-width characters) and no lone surrogates.',
    'error.storableText': 'No control characters other than tab and line breaks, no bidirectional controls (such as U+202E) and no lone surrogates.',
    'error.reporterIdShape': "Use only letters, digits, '-' and '_'.",
    'error.periodShape': 'Use the form {format}, e.g. {example}.',
    'error.keyShape': 'Use 1–{max} printable ASCII characters without spaces.',
    'error.keyUnsendable': 'Use 1–{max} printable ASCII characters without spaces (this key cannot even be sent as a header).',
  },
  ko: {
    'error.required': '비워 둘 수 없습니다.',
    'error.maxLength': '최대 {max}자까지 입력할 수 있습니다.',
    'error.storableLine': '제어 문자나 서식 문자(줄바꿈, U+202E, 폭 없는 문자 등)와 짝이 없는 서로게이트는 쓸 수 없습니다.',
    'error.storableText': '탭과 줄바꿈 외의 제어 문자, 양방향 제어 문자(U+202E 등), 짝이 없는 서로게이트는 쓸 수 없습니다.',
    'error.reporterIdShape': "영문자, 숫자, '-', '_'만 쓸 수 있습니다.",
    'error.periodShape': '{format} 형식으로 입력하세요 (예: {example}).',
    'error.keyShape': '공백 없이 출력 가능한 ASCII 문자 1–{max}자로 입력하세요.',
    'error.keyUnsendable': '공백 없이 출력 가능한 ASCII 문자 1–{max}자로 입력하세요 (이 키는 HTTP 헤더로 보낼 수조차 없습니다).',
  },
});

export const FIELDS = ['reporterId', 'reportType', 'period', 'title', 'content'];
export const KEY_FIELD = 'Idempotency-Key';
/** The period's shape, as the page checks it; the server's limits name the same format. */
export const PERIOD_FORMAT = 'yyyy-MM';
/** Shown where a number would be while the limits are not known yet. */
export const UNKNOWN_LIMIT = '…';

// Lone surrogates cannot be stored as PostgreSQL text; control and format characters can hide or reorder what a reader
// sees. A line (every field but content) holds none of them; content may hold tab and line breaks, and format
// characters other than the bidirectional controls (zero-width joiners build emoji sequences).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HIDDEN_IN_LINE = /[\p{Cc}\p{Cf}]/u;
const HIDDEN_IN_TEXT = /[^\P{Cc}\t\n\r]|[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const REPORTER_ID = /^[A-Za-z0-9_-]+$/;
const PERIOD = /^(?!0000)\d{4}-(0[1-9]|1[0-2])$/;
const PRINTABLE_ASCII = /^[\x21-\x7E]+$/;
const BEYOND_LATIN1 = /[^\x00-\xFF]/; // fetch() refuses such header values outright

/** This month in the period's form: the form's default and the example in messages. */
export function currentPeriod() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * check(field, value) → null or { code, params }. Without limits (the server could not be asked) only the shapes are
 * checked; the server still decides.
 */
export function createValidator(limits) {
  const max = (n) => (v) => (n != null && v.length > n ? { code: 'maxLength', params: { max: n } } : null);
  const required = (v) => (v === '' ? { code: 'required' } : null);
  const storableLine = (v) => (LONE_SURROGATE.test(v) || HIDDEN_IN_LINE.test(v) ? { code: 'storableLine' } : null);
  const storableText = (v) => (LONE_SURROGATE.test(v) || HIDDEN_IN_TEXT.test(v) ? { code: 'storableText' } : null);
  const shape = (pattern, code, params) => (v) => (pattern.test(v) ? null : { code, params });
  const all = (...rules) => (v) => rules.reduce((error, rule) => error ?? rule(v), null);
  const keyMax = limits?.idempotencyKeyMaxLength ?? UNKNOWN_LIMIT;

  const rules = {
    reporterId: all(required, max(limits?.reporterIdMaxLength), storableLine, shape(REPORTER_ID, 'reporterIdShape')),
    reportType: all(required, max(limits?.reportTypeMaxLength), storableLine),
    period: all(required, max(limits?.periodLength), storableLine,
      shape(PERIOD, 'periodShape', { format: limits?.periodFormat ?? PERIOD_FORMAT, example: currentPeriod() })),
    title: all(required, max(limits?.titleMaxLength), storableLine),
    content: all(max(limits?.contentMaxLength), storableText),
    [KEY_FIELD]: (v) => (v === '' ? null
      : BEYOND_LATIN1.test(v) ? { code: 'keyUnsendable', params: { max: keyMax } }
        : (limits && v.length > limits.idempotencyKeyMaxLength) || !PRINTABLE_ASCII.test(v)
          ? { code: 'keyShape', params: { max: keyMax } } : null),
  };

  return {
    limits,
    check: (field, value) => rules[field]?.(value) ?? null,
    canSendKey: (key) => !BEYOND_LATIN1.test(key),
  };
}

/** A field error in the current language: the page's own words for a rule it knows, else the server's text. */
export function errorText(error) {
  return error.code ? t(`error.${error.code}`, error.params) : error.serverText;
}

/**
 * The page's reading of a server field error: re-check the value that was sent. If a rule the page knows fails, show
 * that rule's message in the page's language; if none does (a rule the page does not know), keep the server's text.
 */
export function explainServerError(validator, field, sentValue, serverText) {
  return (sentValue != null && validator.check(field, sentValue)) || { serverText };
}
