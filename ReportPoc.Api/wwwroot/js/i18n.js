// Korean and English. Each module registers its own strings (addStrings), so a new panel brings its words with it.
// Static text in index.html names its string with data-i18n (textContent), data-i18n-html (trusted markup from
// these dictionaries only) or data-i18n-attr="attribute=key, …"; data-i18n-params holds JSON parameters.
// Dynamic text is rendered by its module, which re-renders when the language changes (onLanguageChange).

export const LANGUAGES = ['en', 'ko'];
const STORAGE_KEY = 'reportpoc.language';
const LOCALES = { en: 'en-US', ko: 'ko-KR' };

const dictionaries = { en: {}, ko: {} };
const listeners = [];
let current = 'en';

/** Adds a module's strings: { en: { key: text | (params) => text }, ko: { … } }. Both languages must have every key. */
export function addStrings(strings) {
  for (const language of LANGUAGES) {
    for (const [key, value] of Object.entries(strings[language] ?? {})) {
      if (key in dictionaries[language]) console.error(`i18n: "${key}" is defined twice`);
      dictionaries[language][key] = value;
    }
  }
  for (const key of new Set(LANGUAGES.flatMap((language) => Object.keys(strings[language] ?? {})))) {
    const missing = LANGUAGES.filter((language) => !(key in (strings[language] ?? {})));
    if (missing.length) console.error(`i18n: "${key}" has no ${missing.join(', ')} translation`);
  }
}

/** The current language's text for key, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const entry = dictionaries[current][key];
  if (entry === undefined) {
    console.error(`i18n: no string "${key}" in ${current}`);
    return key;
  }
  const text = typeof entry === 'function' ? entry(params) : entry;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function language() { return current; }

export function locale() { return LOCALES[current]; }

export function formatNumber(value, options = { maximumFractionDigits: 0 }) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

/** A 24-hour clock time (HH:MM:SS, with .mmm where asked): the same in both languages and easy to compare. */
export function formatTime(date, withMilliseconds = false) {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return withMilliseconds ? `${time}.${String(d.getMilliseconds()).padStart(3, '0')}` : time;
}

export function onLanguageChange(listener) { listeners.push(listener); }

/** The remembered choice, else the browser's first preference: ko* is Korean, anything else English. */
function initialLanguage() {
  const stored = readStored();
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return preferred.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

function readStored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; } // storage can be off (privacy settings)
}

function store(value) {
  try { localStorage.setItem(STORAGE_KEY, value); } catch { /* the choice then lasts for this page only */ }
}

export function setLanguage(value, { remember = true } = {}) {
  current = LANGUAGES.includes(value) ? value : 'en';
  if (remember) store(current);
  document.documentElement.lang = current;
  translate(document);
  for (const listener of listeners) listener(current);
}

/** Fills root and every data-i18n* element under it. */
export function translate(root) {
  const selector = '[data-i18n], [data-i18n-html], [data-i18n-attr]';
  for (const el of [...(root.matches?.(selector) ? [root] : []), ...root.querySelectorAll(selector)]) {
    const params = el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : {};
    if (el.dataset.i18n) el.textContent = t(el.dataset.i18n, params);
    if (el.dataset.i18nHtml) el.innerHTML = t(el.dataset.i18nHtml, params);
    for (const pair of (el.dataset.i18nAttr ?? '').split(',').filter((p) => p.trim())) {
      const [attribute, key] = pair.split('=').map((part) => part.trim());
      el.setAttribute(attribute, t(key, params));
    }
  }
}

/** Sets an element's parameters and re-translates it, for static text whose numbers arrive later (the limits). */
export function setParams(el, params) {
  el.dataset.i18nParams = JSON.stringify(params);
  translate(el);
}

/** Starts in the initial language and wires the toggle's buttons (data-language="en" | "ko"). */
export function initLanguage(toggle) {
  const buttons = [...toggle.querySelectorAll('[data-language]')];
  const mark = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.language === current)));
  onLanguageChange(mark);
  for (const button of buttons) button.addEventListener('click', () => setLanguage(button.dataset.language));
  setLanguage(initialLanguage(), { remember: false });
}
