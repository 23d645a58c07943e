// Small helpers every module uses.

export const $ = (id) => document.getElementById(id);

/** Escapes text for innerHTML: server text and user input never become markup. */
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

/** GET a JSON resource, never from the cache; a non-2xx answer throws an Error carrying its status. */
export async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
}
