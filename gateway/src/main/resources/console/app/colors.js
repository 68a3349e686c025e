// Status and level colours: one palette for the table, the chart and the facets, from CSS custom properties so that
// both themes keep their contrast.
const NAMED = {
  success: 'ok', ok: 'ok', info: 'info', debug: 'muted', notice: 'info', warning: 'warn', warn: 'warn',
  error: 'bad', failure: 'bad', failed: 'bad', critical: 'crit', alert: 'crit', emergency: 'crit', fatal: 'crit',
};

/** The tone of a status or level value: ok, info, warn, bad, crit, muted or other. */
export function tone(value) {
  const v = String(value ?? '').toLowerCase();
  if (NAMED[v]) return NAMED[v];
  if (/^[23]\d\d$/.test(v)) return 'ok';
  if (/^4\d\d$/.test(v)) return 'warn';
  if (/^5\d\d$/.test(v)) return 'bad';
  return 'other';
}

const OTHER = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5'];

/** A colour for each series name, read from the current theme. */
export function seriesColor(name, index) {
  const t = tone(name);
  const variable = t === 'other' ? OTHER[index % OTHER.length] : `--tone-${t}`;
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || '#888';
}
