// Run in the console's page through WebDriver's executeAsyncScript: the console's own inclusion.js against the spec's
// §10 vectors (with mutations of the answer and of the event shown), a two-leaf tree of that event and the erasure
// record that erased it (with mutations), and the transparency-dev inclusion cases given as JSON in arguments[0]
// ({name, leafIdx, treeSize, leafHash, proof, root, wantErr}, sizes as decimal text). Answers JSON:
// {"checked": cases run, "wrong": what did not come out as expected}.
const [given, done] = arguments;
const ID = '017f22e2-79b0-7cc4-a1b2-c3d4e5f60718';
const OTHER = '017f22e2-79b0-7cc4-a1b2-c3d4e5f60719';
const EVENT = JSON.parse('{"actor":{"origin":"203.0.113.7"},"category":"auth","event":{"affected_resources":1,'
  + '"cpu_usage":0.25,"description":"Anmeldung über SSO","latency":3,"memory_usage":64,"name":"login","stage":1,'
  + '"total_duration":12.5,"type":"user"},"event_id":"017f22e2-79b0-7cc3-98c4-dc0c0c07398f",'
  + '"id":"017f22e2-79b0-7cc4-a1b2-c3d4e5f60718","level":"info","method":"POST","source_information":'
  + '{"application":"portal","environment":"prod"},"status":"200","timestamp":"2022-02-22T19:22:22.000000007Z"}');
const SALT = 'AAECAwQFBgcICQoLDA0ODw==';
const ENTRY = 'AQEBfyLiebB8xKGyw9Tl9gcYFtYyDD1NzAeFg0QTjyWM+HX8nmyXSxrEAPfAyULtBapCukTXbdVjAg==';
const NOTE = 'audit.example.com/audit/42\n1\nQnozBDMIkRPLMiCxFH/MiPRRnOJX5rWyZ5Uu/JVbokM=\n\n'
  + '— audit.example.com/audit/42 VqS31qO/JA0Rpm8UXR+AJm57psGxWmvBbxtbus23boLhnvvN+LPM1SfqTIPvT+AIyVS1zQ+Eba4A8xiwjPSBkSkb'
  + 'zA8=\n';
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));

(async () => {
  const { checkErasure, checkInclusion, checkPath, fromBase64, leafHash } = await import('/console/app/inclusion.js');
  const { ERASURE, entryOf } = await import('/console/app/leaf-entry.js');
  const wrong = [];
  let checked = 0;
  const expect = async (name, wantErr, run) => {
    checked++;
    try {
      await run();
      if (wantErr) wrong.push(`${name}: accepted`);
    } catch (err) {
      if (!wantErr) wrong.push(`${name}: ${err.message}`);
    }
  };
  const hashOf = async (name, bytes, want) => {
    checked++;
    if (hex(await leafHash(bytes)) !== want) wrong.push(`${name}: ${hex(await leafHash(bytes))}`);
  };

  await hashOf('leaf("")', new Uint8Array(), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  await hashOf('leaf("L123456")', new TextEncoder().encode('L123456'),
    '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
  await hashOf('project entry', fromBase64(ENTRY), '427a330433089113cb3220b1147fcc88f4519ce257e6b5b267952efc955ba243');

  const answer = { id: ID, entry: ENTRY, leaf_hash: 'QnozBDMIkRPLMiCxFH/MiPRRnOJX5rWyZ5Uu/JVbokM=', seq: 0,
    tree_size: 1, hashes: [], checkpoint: NOTE, salt: SALT };
  await expect('project vector', false, async () => {
    if ((await checkInclusion(answer, EVENT)).size !== 1n) throw new Error('another size');
  });
  const flipped = fromBase64(ENTRY);
  flipped[57] ^= 1;
  const mutations = {
    'a hash too many': { hashes: [answer.leaf_hash] },
    'seq = size': { seq: 1 },
    'seq 2^53': { seq: 2 ** 53 },
    'a negative seq': { seq: -1 },
    'another tree size': { tree_size: 2 },
    'a flipped entry bit': { entry: base64(flipped) },
    'a flipped entry bit with its leaf hash': { entry: base64(flipped), leaf_hash: base64(await leafHash(flipped)) },
    'another root': { checkpoint: NOTE.replace('QnozBDMIkRPL', 'QnozBDMIkRPM') },
    'a note without its blank line': { checkpoint: NOTE.replace('=\n\n', '=\n') },
    'a size with a leading zero': { checkpoint: NOTE.replace('\n1\n', '\n01\n') },
    'unpadded base64': { entry: ENTRY.replace(/=+$/, '') },
    'no hashes': { hashes: null },
    'another salt': { salt: 'AAECAwQFBgcICQoLDA0ODg==' },
    'a short salt': { salt: 'AAECAwQFBgcICQoLDA0O' },
    'no salt': { salt: undefined },
  };
  for (const [name, change] of Object.entries(mutations)) {
    await expect(name, true, () => checkInclusion({ ...answer, ...change }, EVENT));
  }
  const nested = structuredClone(EVENT);
  nested.event.stage = 2;
  const shown = {
    'another event': { ...EVENT, id: OTHER },
    'a changed field': { ...EVENT, status: '201' },
    'a changed nested field': nested,
    'an added field': { ...EVENT, seq: 0 },
    'a missing field': Object.fromEntries(Object.entries(EVENT).filter(([key]) => key !== 'level')),
    'another time': { ...EVENT, timestamp: '2022-02-22T19:22:22.000000008Z' },
    'a time in milliseconds': { ...EVENT, timestamp: '2022-02-22T19:22:22.000Z' },
  };
  for (const [name, event] of Object.entries(shown)) {
    await expect(name, true, () => checkInclusion(answer, event));
  }

  // The event erased: leaf 0 is its entry, leaf 1 the erasure record's, proven in a two-leaf tree.
  const record = { kind: 'erasure', id: '017f22e2-79b0-7cc5-8000-000000000001',
    timestamp: '2022-02-23T08:00:00.000000000Z', reason: 'delete', erased: [{ id: ID, seq: 0 }],
    operation: '6f1c0b4e-2d0a-4b8e-9c3f-0d7f3a2b1c00', part: 1, parts: 1 };
  const recordSalt = base64(Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i));
  const recordLeaf = await leafHash(await entryOf(ERASURE, record, fromBase64(recordSalt)));
  const leaves = [fromBase64(answer.leaf_hash), recordLeaf];
  const root = new Uint8Array(await crypto.subtle.digest('SHA-256', Uint8Array.of(1, ...leaves[0], ...leaves[1])));
  const note = `audit.example.com/audit/42\n2\n${base64(root)}\n\n— audit.example.com/audit/42 AAAAAA==\n`;
  const redacted = { ...answer, status: 'redacted', salt: undefined, tree_size: 2, hashes: [base64(leaves[1])],
    checkpoint: note, erasure: { seq: 1, salt: recordSalt, record, hashes: [base64(leaves[0])] } };
  await expect('an erased event', false, () => checkErasure(redacted, { id: ID, timestamp: EVENT.timestamp }));
  const erasureMutations = {
    'a record of another event': { record: { ...record, erased: [{ id: OTHER, seq: 0 }] } },
    'a record of another seq': { record: { ...record, erased: [{ id: ID, seq: 1 }] } },
    'a record changed': { record: { ...record, reason: 'retention' } },
    'another record salt': { salt: SALT },
    'a record before the event': { seq: 0 },
    'a record without its proof': { hashes: [] },
    'not a record': { record: { ...record, kind: 'event' } },
  };
  for (const [name, change] of Object.entries(erasureMutations)) {
    await expect(name, true, () => checkErasure({ ...redacted, erasure: { ...redacted.erasure, ...change } },
      EVENT));
  }
  await expect('an erased event at another time', true, () => checkErasure(redacted, { ...EVENT,
    timestamp: '2022-02-22T19:22:22.000000008Z' }));

  for (const c of JSON.parse(given)) {
    await expect(c.name, c.wantErr, async () => checkPath(BigInt(c.leafIdx), BigInt(c.treeSize),
      fromBase64(c.leafHash), (c.proof ?? []).map(fromBase64), fromBase64(c.root)));
  }
  done(JSON.stringify({ checked, wrong }));
})().catch((err) => done(JSON.stringify({ checked: 0, wrong: [String(err)] })));
