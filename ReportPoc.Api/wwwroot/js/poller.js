// A panel's refresh loop: load() every interval, and a "live · time" / "unavailable" label beside the heading.
// Every live panel polls through this: the board directly, the LP and scale-out panels through system-status.js.
import { addStrings, formatTime, onLanguageChange, t } from './i18n.js';

addStrings({
  en: {
    'poll.connecting': 'connecting…',
    'poll.live': 'live · {time}',
    'poll.down': 'unavailable ({reason})',
  },
  ko: {
    'poll.connecting': '연결 중…',
    'poll.live': '실시간 · {time}',
    'poll.down': '연결 안 됨 ({reason})',
  },
});

/**
 * Starts polling. load() may return { key, params, down } to show its own state label instead of "live".
 * stateElement is one element or a list of them (panels sharing one poll show the same label).
 * Returns { soon() } to refresh within a moment (e.g. right after a submission).
 */
export function startPolling({ intervalMs, stateElement, load }) {
  const stateElements = [].concat(stateElement);
  let timer = null;
  let busy = false;
  let label = { key: 'poll.connecting' };

  const render = () => {
    const params = { ...label.params, ...(label.at ? { time: formatTime(label.at) } : {}) };
    for (const element of stateElements) {
      element.textContent = t(label.key, params);
      element.classList.toggle('down', Boolean(label.down));
    }
  };

  async function run() {
    clearTimeout(timer);
    if (busy) return;
    busy = true;
    try {
      label = (await load()) ?? { key: 'poll.live', at: new Date() };
    } catch (error) {
      label = { key: 'poll.down', params: { reason: error.message }, down: true };
    }
    busy = false;
    render();
    timer = setTimeout(run, intervalMs);
  }

  onLanguageChange(render);
  render();
  run();
  return {
    soon() {
      if (!busy) { clearTimeout(timer); timer = setTimeout(run, 50); }
    },
  };
}
