// The field limits, from the server (GET /api/reports/limits) rather than repeated in the page.
import { getJson } from './dom.js';

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Asks until the server answers (it may still be starting), telling onFailure about each failed try. */
export async function loadLimits(onFailure) {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      return await getJson('/api/reports/limits');
    } catch (error) {
      onFailure(error);
      await sleep(delay);
    }
  }
}
