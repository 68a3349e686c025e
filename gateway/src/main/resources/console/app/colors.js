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

/**
 * A custom property's colour as the current theme resolves it (the properties hold light-dark() pairs, which a
 * canvas cannot read): a hidden probe takes it as its colour, and the computed colour is plain rgb().
 */
export function cssColor(variable) {
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = `var(${variable})`;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

/** A colour for each series name, read from the current theme. */
export function seriesColor(name, index) {
  const t = tone(name);
  return cssColor(t === 'other' ? OTHER[index % OTHER.length] : `--tone-${t}`);
}
