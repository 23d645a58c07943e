// GET /api/system, polled once for every panel that shows a part of it (the LP panel, the scale-out panel): each
// subscribes with onSystemStatus and gets the latest answer — null when the request failed — and its own "live" label.
import { getJson } from './dom.js';
import { startPolling } from './poller.js';

const POLL_MS = 2000;
const listeners = [];
const stateElements = [];

/** listener(status | null) after every poll; stateElement (optional) shows "live · time" / "unavailable". */
export function onSystemStatus(listener, stateElement) {
  listeners.push(listener);
  if (stateElement) stateElements.push(stateElement);
}

/** Starts polling; call after the panels have subscribed. */
export function startSystemStatus() {
  startPolling({
    intervalMs: POLL_MS,
    stateElement: stateElements,
    async load() {
      let status = null;
      try {
        status = await getJson('/api/system');
      } finally {
        for (const listener of listeners) listener(status);
      }
    },
  });
}
