// Run in the console's page through WebDriver's executeAsyncScript: the console's own JCS (jcs.js) against RFC 8785's
// examples (the number table of Appendix B, the example of §3.2.2 with its UTF-8 bytes of §3.2.4, the key order of
// §3.2.3) and what JSON cannot hold, then the entry (leaf-entry.js) of the verifiable-history spec's §10 project
// vector from its document written in another key order and number form. Answers JSON:
// {"checked": cases run, "wrong": what did not come out as expected}.
const [done] = arguments;
const DOCUMENT = '{"actor":{"origin":"203.0.113.7"},"category":"auth","event":{"affected_resources":1,"cpu_usage":0.25,'
  + '"description":"Anmeldung über SSO","latency":3,"memory_usage":64,"name":"login","stage":1,"total_duration":12.5,'
  + '"type":"user"},"event_id":"017f22e2-79b0-7cc3-98c4-dc0c0c07398f","id":"017f22e2-79b0-7cc4-a1b2-c3d4e5f60718",'
  + '"level":"info","method":"POST","source_information":{"application":"portal","environment":"prod"},"status":"200",'
  + '"timestamp":"2022-02-22T19:22:22.000000007Z"}';
const REORDERED = '{"timestamp":"2022-02-22T19:22:22.000000007Z","status":"200","source_information":'
  + '{"environment":"prod","application":"portal"},"method":"POST","level":"info",'
  + '"id":"017f22e2-79b0-7cc4-a1b2-c3d4e5f60718","event_id":"017f22e2-79b0-7cc3-98c4-dc0c0c07398f",'
  + '"event":{"type":"user","total_duration":12.50,"stage":1,"name":"login","memory_usage":6.4e1,"latency":3.0,'
  + '"description":"Anmeldung \\u00fcber SSO","cpu_usage":0.250,"affected_resources":1},"category":"auth",'
  + '"actor":{"origin":"203.0.113.7"}}';
// RFC 8785 Appendix B: IEEE 754 bits and their text; NaN and Infinity are errors.
const NUMBERS = {
  '0000000000000000': '0', '8000000000000000': '0', '0000000000000001': '5e-324', '8000000000000001': '-5e-324',
  '7fefffffffffffff': '1.7976931348623157e+308', 'ffefffffffffffff': '-1.7976931348623157e+308',
  '4340000000000000': '9007199254740992', 'c340000000000000': '-9007199254740992',
  '4430000000000000': '295147905179352830000', '44b52d02c7e14af5': '9.999999999999997e+22',
  '44b52d02c7e14af6': '1e+23', '44b52d02c7e14af7': '1.0000000000000001e+23',
  '444b1ae4d6e2ef4e': '999999999999999700000', '444b1ae4d6e2ef4f': '999999999999999900000',
  '444b1ae4d6e2ef50': '1e+21', '3eb0c6f7a0b5ed8c': '9.999999999999997e-7', '3eb0c6f7a0b5ed8d': '0.000001',
  '41b3de4355555553': '333333333.3333332', '41b3de4355555554': '333333333.33333325',
  '41b3de4355555555': '333333333.3333333', '41b3de4355555556': '333333333.3333334',
  '41b3de4355555557': '333333333.33333343', 'becbf647612f3696': '-0.0000033333333333333333',
  '43143ff3c1cb0959': '1424953923781206.2', '7fffffffffffffff': null, '7ff0000000000000': null,
};
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

(async () => {
  const { canonical } = await import('/console/app/jcs.js');
  const { EVENT, commitment, entryOf } = await import('/console/app/leaf-entry.js');
  const wrong = [];
  let checked = 0;
  const expect = (name, actual, want) => {
    checked++;
    if (actual !== want) wrong.push(`${name}: ${actual}`);
  };
  const refused = (name, value) => {
    checked++;
    try {
      wrong.push(`${name}: accepted as ${canonical(value)}`);
    } catch { /* refused, as it should be */ }
  };

  for (const [bits, want] of Object.entries(NUMBERS)) {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt(`0x${bits}`));
    if (want === null) refused(`0x${bits}`, view.getFloat64(0));
    else expect(`0x${bits}`, canonical(view.getFloat64(0)), want);
  }

  const example = canonical(JSON.parse(String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`));
  expect('§3.2.2', example, String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,`
    + String.raw`1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
  expect('§3.2.4 UTF-8', hex(new TextEncoder().encode(example)), '7b226c69746572616c73223a5b6e756c6c2c747275652c'
    + '66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c3165'
    + '2d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d');
  expect('§3.2.3', canonical(JSON.parse(String.raw`{"\u20ac": "Euro Sign", "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}`)),
  '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
    + '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
  expect('escapes', canonical('"\\\b\f\n\r\t\u0000\u0001\u001f /<>&\u007f\u00e9\u2028\ud83d\ude00'),
    '"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f /<>&\u007f\u00e9\u2028\ud83d\ude00"');
  expect('nesting', canonical(JSON.parse('{"b":{"z":[3,{"y":1,"x":2.0}],"a":{}},"a":[[],[{}],"s"]}')),
    '{"a":[[],[{}],"s"],"b":{"a":{},"z":[3,{"x":2,"y":1}]}}');
  refused('a lone high surrogate', '\ud800');
  refused('a lone low surrogate in a key', { 'a\udc00b': 1 });
  refused('undefined', [undefined]);

  const event = JSON.parse(REORDERED);
  expect('project document', canonical(event), DOCUMENT);
  expect('project document, bytes', new TextEncoder().encode(canonical(event)).length, 481);
  const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
  expect('project commitment', hex(await commitment(salt, event)),
    '858344138f258cf875fc9e6c974b1ac400f7c0c942ed05aa42ba44d76dd56302');
  expect('project entry', hex(await entryOf(EVENT, event, salt)), '0101017f22e279b07cc4a1b2c3d4e5f6071816d6320c3d4dcc07'
    + '858344138f258cf875fc9e6c974b1ac400f7c0c942ed05aa42ba44d76dd56302');
  done(JSON.stringify({ checked, wrong }));
})().catch((err) => done(JSON.stringify({ checked: 0, wrong: [String(err)] })));
