// Inclusion proofs of the verifiable history, checked in the browser: the entry rebuilt from the event shown, the leaf
// hash of an entry, the fold of an audit path to a root (RFC 9162 §2.1.3.2, with both guards) and the size and root of
// a checkpoint note. Sizes and seqs are BigInts, exact up to 2^64 − 1. The note's signatures are not checked here:
// bin/verify does that with a pinned key.
import { ERASURE, EVENT, entryOf, headOf } from './leaf-entry.js';

const MAX = (1n << 64n) - 1n;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;
const DIFFERS = 'the event shown differs from what the history committed to '
  + '(field changed after it was stored?)';

/** The bytes of padded standard base64. */
export function fromBase64(text) {
  if (typeof text !== 'string' || !BASE64.test(text)) throw new Error('a value is not padded base64');
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function sha256(...parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

/** SHA-256(0x00 ‖ entry). */
export const leafHash = (entry) => sha256(Uint8Array.of(0), entry);

const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

const same = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);

function hash(bytes, what) {
  if (bytes.length !== 32) throw new Error(`${what} is not 32 bytes long`);
  return bytes;
}

/** Checks that `leaf` is leaf `seq` of the tree of `size` leaves whose root is `root`; throws saying what failed. */
export async function checkPath(seq, size, leaf, path, root) {
  if (seq < 0n || size > MAX || seq >= size) throw new Error(`the position ${seq} is not below the tree size ${size}`);
  let fn = seq;
  let sn = size - 1n;
  let r = hash(leaf, 'the leaf hash');
  for (const p of path) {
    if (sn === 0n) throw new Error('the proof has more hashes than the tree has levels');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(hash(p, 'a proof hash'), r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, hash(p, 'a proof hash'));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Error('the proof has fewer hashes than the tree has levels');
  if (!same(r, hash(root, 'the root'))) throw new Error("the proof leads to another root than the checkpoint's");
}

/** The origin, size and root of a checkpoint note (C2SP tlog-checkpoint), its signatures unchecked. */
export function parseCheckpoint(note) {
  const lines = typeof note === 'string' ? note.split('\n') : [];
  if (lines.length < 5 || lines[3] !== '' || !DECIMAL.test(lines[1]) || BigInt(lines[1]) > MAX) {
    throw new Error('the checkpoint is not a signed note of a tree');
  }
  return { origin: lines[0], size: BigInt(lines[1]), root: hash(fromBase64(lines[2]), "the checkpoint's root") };
}

function exact(number, what) {
  if (!Number.isSafeInteger(number) || number < 0) throw new Error(`${what} is not an exact whole number`);
  return BigInt(number);
}

/** The id of an event's version-1 entry (58 bytes: version, kind, id, timestamp, commitment). */
function eventIdOf(entry) {
  if (entry.length !== 58 || entry[0] !== 1 || entry[1] !== EVENT) throw new Error('the entry is not an event leaf');
  const hex = Array.from(entry.subarray(2, 18), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The answer's checkpoint, whose size must be the one answered. */
function checkpointOf(answer) {
  const checkpoint = parseCheckpoint(answer.checkpoint);
  if (exact(answer.tree_size, 'the tree size') !== checkpoint.size) {
    throw new Error("the tree size differs from the checkpoint's");
  }
  return checkpoint;
}

/** Checks that `hashes` fold `leaf` at `seq` to the checkpoint's root. */
async function checkIn(checkpoint, seq, leaf, hashes, what) {
  if (!Array.isArray(hashes)) throw new Error(`the proof of ${what} has no hashes`);
  await checkPath(exact(seq, `the position of ${what}`), checkpoint.size, leaf, hashes.map(fromBase64),
    checkpoint.root);
}

/** The answer's entry, checked to be the event `id`'s and proven in the answer's checkpoint. */
async function provenEntry(answer, id) {
  const entry = fromBase64(answer.entry);
  if (eventIdOf(entry) !== String(id).toLowerCase()) throw new Error('the entry is of another event');
  const leaf = await leafHash(entry);
  if (!same(leaf, fromBase64(answer.leaf_hash))) throw new Error('the leaf hash does not match the entry');
  const checkpoint = checkpointOf(answer);
  await checkIn(checkpoint, answer.seq, leaf, answer.hashes, 'the event');
  return { entry, checkpoint };
}

/**
 * Checks a present answer of /audit/{tenant}/proof/inclusion for the event shown (as the read API returned it): the
 * entry names the event, the audit path folds its leaf hash to the root of the checkpoint, whose size is the one
 * answered, and the entry rebuilt from the event and the answer's salt is the one proven. Answers the checkpoint
 * ({origin, size, root}); throws saying what failed.
 */
export async function checkInclusion(answer, event) {
  const { entry, checkpoint } = await provenEntry(answer, event.id);
  if (!same(await entryOf(EVENT, event, fromBase64(answer.salt)), entry)) throw new Error(DIFFERS);
  return checkpoint;
}

/**
 * Checks a redacted answer for the event shown: its entry as for a present one, except that the body is gone, so only
 * its id and time are compared; then the erasure record, rebuilt into its entry from `erasure.record` and
 * `erasure.salt`, is proven in the same checkpoint, comes later and lists the event's {id, seq}. Answers the
 * checkpoint; throws saying what failed.
 */
export async function checkErasure(answer, event) {
  const { entry, checkpoint } = await provenEntry(answer, event.id);
  if (!same(headOf(EVENT, event), entry.subarray(0, 26))) throw new Error(DIFFERS);
  const { seq, salt, record, hashes } = answer.erasure ?? {};
  const id = eventIdOf(entry);
  if (record?.kind !== 'erasure' || !Array.isArray(record.erased)
    || !record.erased.some((e) => String(e?.id).toLowerCase() === id && e.seq === answer.seq)) {
    throw new Error('the erasure record does not list this event');
  }
  if (exact(seq, 'the position of the erasure record') <= exact(answer.seq, 'the position')) {
    throw new Error('the erasure record comes before the event');
  }
  await checkIn(checkpoint, seq, await leafHash(await entryOf(ERASURE, record, fromBase64(salt))), hashes,
    'the erasure record');
  return checkpoint;
}
