// Run in the console's page through WebDriver's executeAsyncScript: the console's own inclusion.js against the spec's
// §10 vectors (with mutations) and the transparency-dev inclusion cases given as JSON in arguments[0]
// ({name, leafIdx, treeSize, leafHash, proof, root, wantErr}, sizes as decimal text). Answers JSON:
// {"checked": cases run, "wrong": what did not come out as expected}.
const [given, done] = arguments;
const ID = '017f22e2-79b0-7cc4-a1b2-c3d4e5f60718';
const ENTRY = 'AQEBfyLiebB8xKGyw9Tl9gcYFtYyDD1NzAeFg0QTjyWM+HX8nmyXSxrEAPfAyULtBapCukTXbdVjAg==';
const NOTE = 'audit.example.com/audit/42\n1\nQnozBDMIkRPLMiCxFH/MiPRRnOJX5rWyZ5Uu/JVbokM=\n\n'
  + '— audit.example.com/audit/42 VqS31qO/JA0Rpm8UXR+AJm57psGxWmvBbxtbus23boLhnvvN+LPM1SfqTIPvT+AIyVS1zQ+Eba4A8xiwjPSBkSkb'
  + 'zA8=\n';
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));

(async () => {
  const { checkInclusion, checkPath, fromBase64, leafHash } = await import('/console/app/inclusion.js');
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
    tree_size: 1, hashes: [], checkpoint: NOTE };
  await expect('project vector', false, async () => {
    if ((await checkInclusion(answer, ID)).size !== 1n) throw new Error('another size');
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
  };
  for (const [name, change] of Object.entries(mutations)) {
    await expect(name, true, () => checkInclusion({ ...answer, ...change }, ID));
  }
  await expect('another event', true, () => checkInclusion(answer, '017f22e2-79b0-7cc4-a1b2-c3d4e5f60719'));

  for (const c of JSON.parse(given)) {
    await expect(c.name, c.wantErr, async () => checkPath(BigInt(c.leafIdx), BigInt(c.treeSize),
      fromBase64(c.leafHash), (c.proof ?? []).map(fromBase64), fromBase64(c.root)));
  }
  done(JSON.stringify({ checked, wrong }));
})().catch((err) => done(JSON.stringify({ checked: 0, wrong: [String(err)] })));
