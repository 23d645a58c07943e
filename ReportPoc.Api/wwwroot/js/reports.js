// The words for a report's state and path, shared by the submission results and the board.
import { addStrings, t } from './i18n.js';
import { esc } from './dom.js';

addStrings({
  en: {
    'status.Accepted': 'Accepted',
    'status.Running': 'Running',
    'status.Completed': 'Completed',
    'status.Failed': 'Failed',
    'status.Conflict': 'Conflict',
    'path.sync': 'sync',
    'path.async': 'async',
  },
  ko: {
    'status.Accepted': '접수됨',
    'status.Running': '처리 중',
    'status.Completed': '완료',
    'status.Failed': '실패',
    'status.Conflict': '키 충돌',
    'path.sync': '동기',
    'path.async': '비동기',
  },
});

export const STATUSES = ['Accepted', 'Running', 'Completed', 'Failed', 'Conflict'];
export const FINAL = new Set(['Completed', 'Failed', 'Conflict']);

/** Older answers say Pending for Accepted. */
export function normalStatus(status) { return status === 'Pending' ? 'Accepted' : String(status || 'Accepted'); }

/** A status in the current language; one the page does not know is shown as the server sent it. */
export function statusText(status) {
  const normal = normalStatus(status);
  return STATUSES.includes(normal) ? t(`status.${normal}`) : normal;
}

/** Orders states so a late answer never moves a report backwards. */
export function rank(status) { return { Accepted: 0, Running: 1 }[normalStatus(status)] ?? 2; }

export function statusBadge(status, { classes = '', suffix = '' } = {}) {
  const normal = esc(normalStatus(status));
  return `<span class="badge tone-${normal} ${classes}">${esc(statusText(status))}${esc(suffix)}</span>`;
}

export function pathBadge(path) {
  const normal = path === 'sync' ? 'sync' : 'async';
  return `<span class="badge path-${normal}">${esc(t(`path.${normal}`))}</span>`;
}

// Ids are UUIDv7: the first characters are a timestamp shared by reports sent close together, so show the random tail.
export function shortId(id) { return String(id).slice(-8); }
