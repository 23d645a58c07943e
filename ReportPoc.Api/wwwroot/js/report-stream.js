// Following one report as it happens: Server-Sent Events on its status URL's /events twin, each event the status
// read's body. When no stream can be had (refused past a bound, no EventSource, the connection keeps failing), the
// caller polls the status URL instead.
import { FINAL, normalStatus } from './reports.js';

/** Failed (re)connections in a row after which the page stops trying and polls. */
const MAX_FAILURES = 3;

/** /api/reports/{id}?token=… → /api/reports/{id}/events?token=… */
export function eventsUrl(statusUrl) {
  const [path, query] = statusUrl.split('?');
  return `${path}/events${query ? `?${query}` : ''}`;
}

/** onView(view) for every state; onUnavailable() once when the page should poll instead. Returns close(). */
export function followReport(statusUrl, { onView, onUnavailable }) {
  if (typeof EventSource !== 'function') {
    onUnavailable();
    return () => {};
  }
  const source = new EventSource(eventsUrl(statusUrl));
  let failures = 0;
  const giveUp = () => { source.close(); onUnavailable(); };
  source.onmessage = (event) => {
    failures = 0;
    let view;
    try { view = JSON.parse(event.data); } catch { return; }
    onView(view);
    if (FINAL.has(normalStatus(view.status))) source.close();
  };
  source.onerror = () => {
    // CLOSED: refused (404, 429, 503) or nothing more to say (204). CONNECTING: the browser reconnects itself with
    // Last-Event-ID, so no state is lost; only a connection that keeps failing makes the page poll.
    if (source.readyState === EventSource.CLOSED || ++failures >= MAX_FAILURES) giveUp();
  };
  return () => source.close();
}
