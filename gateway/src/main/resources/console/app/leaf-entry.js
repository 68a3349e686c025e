// The verifiable history's leaf entry, version 1 (58 bytes): version 0x01, kind, the id's 16 bytes, the timestamp in
// ns since the Unix epoch (int64 big-endian) and SHA-256(salt ‖ UTF-8 of JCS(document)). Rebuilt here from what the
// browser was shown, so that an entry can be compared byte for byte with the one the history committed to.
import { canonical } from './jcs.js';

export const EVENT = 1;
export const ERASURE = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{9})Z$/;
const INT64 = 1n << 63n;

/** The ns since the Unix epoch of an RFC 3339 time with nine fraction digits and Z, 1970 to 2262, as a BigInt. */
function nanosOf(timestamp) {
  const m = typeof timestamp === 'string' ? TIMESTAMP.exec(timestamp) : null;
  if (!m) throw new Error('the timestamp is not RFC 3339 with nine fraction digits and Z');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 1970 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
    || hour > 23 || minute > 59 || second > 59) {
    throw new Error('the timestamp is not a valid time from 1970 to 2262');
  }
  const nanos = BigInt(date.getTime() / 1000) * 1_000_000_000n + BigInt(m[7]);
  if (nanos >= INT64) throw new Error('the timestamp is not a valid time from 1970 to 2262');
  return nanos;
}

/** The 16 bytes of a UUID, its hex digits in order. */
function uuidBytes(id) {
  if (typeof id !== 'string' || !UUID.test(id)) throw new Error('the id is not a UUID');
  return Uint8Array.from(id.replaceAll('-', '').match(/../g), (pair) => parseInt(pair, 16));
}

/** SHA-256(salt ‖ UTF-8 of JCS(document)), the salt being 16 bytes. */
export async function commitment(salt, document) {
  if (salt.length !== 16) throw new Error('the salt is not 16 bytes long');
  const text = new TextEncoder().encode(canonical(document));
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt);
  input.set(text, salt.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

/**
 * The first 26 bytes of the entry of `kind` for a document that carries its own `id` and `timestamp` (an event or an
 * erasure record): what an entry still tells once the document is erased.
 */
export function headOf(kind, document) {
  const head = new Uint8Array(26);
  head.set([1, kind]);
  head.set(uuidBytes(document?.id), 2);
  new DataView(head.buffer).setBigUint64(18, nanosOf(document.timestamp));
  return head;
}

/** The whole entry of `kind` for the document and its salt. */
export async function entryOf(kind, document, salt) {
  const entry = new Uint8Array(58);
  entry.set(headOf(kind, document));
  entry.set(await commitment(salt, document), 26);
  return entry;
}
