// RFC 8785 JSON Canonicalization Scheme over what JSON.parse gives. The RFC defines strings and numbers by ECMAScript's
// own JSON serialization, so JSON.stringify writes them; keys are sorted by UTF-16 code units (JavaScript's default
// comparison) and nothing else is added: no whitespace, no normalization.
const LONE_SURROGATE = /\p{Cs}/u;

/** The canonical text of a JSON value; throws for what JSON cannot hold (NaN, infinities, lone surrogates, …). */
export function canonical(value) {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`JSON has no number ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new Error('a string holds a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${canonical(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  throw new Error(`JSON has no ${typeof value}`);
}
