// The console's whole state lives in the URL's fragment, so a link reopens the same view (and never reaches a
// server log). Values are read back defensively: anything unknown falls back to the default.
export const CHIPS = ['category', 'app', 'env', 'method', 'status', 'origin'];
export const PRESETS = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };

/** Table columns: a label and how to read the value from an event. */
export const COLUMNS = {
  time: { label: 'Time', get: (e) => e.timestamp },
  level: { label: 'Level', get: (e) => e.level },
  status: { label: 'Status', get: (e) => e.status },
  method: { label: 'Method', get: (e) => e.method },
  category: { label: 'Category', get: (e) => e.category },
  app: { label: 'App', get: (e) => e.source_information?.application },
  env: { label: 'Env', get: (e) => e.source_information?.environment },
  origin: { label: 'Origin', get: (e) => e.actor?.origin },
  'event.name': { label: 'Event', get: (e) => e.event?.name },
  'event.type': { label: 'Type', get: (e) => e.event?.type },
  latency: { label: 'Latency', get: (e) => e.event?.latency },
  total_duration: { label: 'Duration', get: (e) => e.event?.total_duration },
  id: { label: 'Id', get: (e) => e.id },
  event_id: { label: 'Request', get: (e) => e.event_id },
};
export const DEFAULT_COLUMNS = ['time', 'level', 'status', 'method', 'app', 'env', 'origin', 'event.name'];
const COLUMN_STORE = 'auditlog.columns';

export function storedColumns() {
  const saved = (localStorage.getItem(COLUMN_STORE) || '').split(',').filter((c) => c in COLUMNS);
  return saved.length ? saved : DEFAULT_COLUMNS;
}

export function rememberColumns(columns) { localStorage.setItem(COLUMN_STORE, columns.join(',')); }

export function defaults() {
  return {
    view: 'events', q: '', chips: {}, range: '24h', from: null, to: null, tz: 'utc', cols: storedColumns(),
    ev: null, stack: 'status', metric: '', agg: 'mean', interval: '', group: '',
  };
}

export function fromHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s = defaults();
  const view = p.get('v');
  if (['events', 'metrics', 'tokens', 'users'].includes(view)) s.view = view;
  s.q = p.get('q') ?? '';
  for (const chip of CHIPS) if (p.get(chip)) s.chips[chip] = p.get(chip);
  const from = Number(p.get('from'));
  const to = Number(p.get('to'));
  if (from > 0 && to > from) Object.assign(s, { range: null, from, to });
  else if (p.get('range') in PRESETS) s.range = p.get('range');
  if (p.get('tz') === 'local') s.tz = 'local';
  const cols = (p.get('cols') || '').split(',').filter((c) => c in COLUMNS);
  if (cols.length) s.cols = cols;
  s.ev = p.get('ev') || null;
  if (p.get('stack') === 'level') s.stack = 'level';
  for (const key of ['metric', 'agg', 'interval', 'group']) if (p.get(key)) s[key] = p.get(key);
  return s;
}

export function toHash(s) {
  const p = new URLSearchParams();
  p.set('v', s.view);
  if (s.q) p.set('q', s.q);
  for (const chip of CHIPS) if (s.chips[chip]) p.set(chip, s.chips[chip]);
  if (s.range) p.set('range', s.range); else { p.set('from', s.from); p.set('to', s.to); }
  if (s.tz !== 'utc') p.set('tz', s.tz);
  p.set('cols', s.cols.join(','));
  if (s.ev) p.set('ev', s.ev);
  if (s.stack !== 'status') p.set('stack', s.stack);
  if (s.view === 'metrics') for (const key of ['metric', 'agg', 'interval', 'group']) if (s[key]) p.set(key, s[key]);
  return `#${p}`;
}

/** The time range as absolute milliseconds [from, to): a preset ends now. */
export function resolveRange(s, now = Date.now()) {
  return s.range ? { from: now - PRESETS[s.range], to: now } : { from: s.from, to: s.to };
}

/** A value as a filter-language literal: single-quoted, with \ and ' escaped. */
export function literal(value) {
  return `'${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The filter of the current view for the commands (facets, export): chips, time range and the query. */
export function commandFilter(s, range) {
  const parts = CHIPS.filter((c) => s.chips[c]).map((c) => `${c} = ${literal(s.chips[c])}`);
  parts.push(`time >= ${Math.floor(range.from)}`, `time < ${Math.ceil(range.to)}`);
  if (s.q.trim()) parts.push(`(${s.q})`);
  return parts.join(' AND ');
}

/** The /audit/* parameters of the current view. */
export function logParams(s, range, extra = {}) {
  const p = new URLSearchParams();
  for (const chip of CHIPS) if (s.chips[chip]) p.set(chip, s.chips[chip]);
  p.set('start', new Date(range.from).toISOString());
  p.set('stop', new Date(range.to).toISOString());
  if (s.q.trim()) p.set('filter', s.q);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** An RFC 3339 timestamp in UTC or local time, always with its offset. */
export function formatTime(timestamp, tz, withMillis = true) {
  if (!timestamp) return '';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return String(timestamp);
  const local = tz === 'local';
  const off = local ? -d.getTimezoneOffset() : 0;
  const t = local ? d : new Date(d.getTime() + d.getTimezoneOffset() * 60e3);
  const zone = off === 0 ? (local ? '+00:00' : 'Z')
    : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  const ms = withMillis ? `.${pad(t.getMilliseconds(), 3)}` : '';
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} `
    + `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}${ms}${zone}`;
}

/** The value of a datetime-local input for an instant, in UTC or local time. */
export function toInputValue(ms, tz) {
  return formatTime(new Date(ms).toISOString(), tz, false).slice(0, 19).replace(' ', 'T');
}

export function fromInputValue(value, tz) {
  if (!value) return NaN;
  return tz === 'local' ? new Date(value).getTime() : Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
}

/** A window size giving about 60 bars over the range, from a ladder of round sizes. */
export function intervalFor(range) {
  const ladder = [['1s', 1e3], ['5s', 5e3], ['10s', 1e4], ['30s', 3e4], ['1m', 6e4], ['5m', 3e5], ['10m', 6e5],
    ['30m', 18e5], ['1h', 36e5], ['3h', 108e5], ['6h', 216e5], ['12h', 432e5], ['1d', 864e5]];
  const want = (range.to - range.from) / 60;
  return (ladder.find(([, ms]) => ms >= want) || ladder[ladder.length - 1])[0];
}
