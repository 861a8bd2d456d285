import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Amf0Date, Amf0Object, decodeAmf0, encodeAmf0, type Amf0Value } from '../../src/amf/amf0.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { assertBytes, hex } from '../helpers/captures.js';

const obj = (entries: Array<[string, Amf0Value]>) => new Amf0Object(entries, 'object');
const ecma = (entries: Array<[string, Amf0Value]>) => new Amf0Object(entries, 'ecma-array');

// Bytes are command/data payloads taken from test/fixtures/*.bin (real ffmpeg 5.1 and GStreamer 1.22 publishes).
const cases: Array<{ name: string; bytes: Uint8Array; value: Amf0Value[] }> = [
  {
    name: 'ffmpeg releaseStream with query args in the name',
    bytes: hex('02000d72656c6561736553747265616d00400000000000000005020014636170747572653f746f6b656e3d616263313233'),
    value: ['releaseStream', 2, null, 'capture?token=abc123'],
  },
  {
    name: 'ffmpeg publish',
    bytes: hex('0200077075626c69736800401400000000000005020014636170747572653f746f6b656e3d6162633132330200046c697665'),
    value: ['publish', 5, null, 'capture?token=abc123', 'live'],
  },
  {
    name: 'GStreamer createStream (transaction id 2)',
    bytes: hex('02000c63726561746553747265616d00400000000000000005'),
    value: ['createStream', 2, null],
  },
  {
    name: 'ffmpeg @setDataFrame onMetaData (ECMA array, boolean, string)',
    bytes: hex(
      '02000d40736574446174614672616d6502000a6f6e4d65746144617461080000000d00086475726174696f6e003ff000000000000000057769647468004064000000000000000668656967687400405e000000000000000d766964656f64617461726174650040586a000000000000096672616d6572617465004024000000000000000c766964656f636f646563696400401c000000000000000d617564696f646174617261746500403f400000000000000f617564696f73616d706c65726174650040e5888000000000000f617564696f73616d706c6573697a65004030000000000000000673746572656f0100000c617564696f636f64656369640040240000000000000007656e636f64657202000d4c61766635392e32372e313030000866696c6573697a65000000000000000000000009',
    ),
    value: [
      '@setDataFrame',
      'onMetaData',
      ecma([
        ['duration', 1],
        ['width', 160],
        ['height', 120],
        ['videodatarate', 97.65625],
        ['framerate', 10],
        ['videocodecid', 7],
        ['audiodatarate', 31.25],
        ['audiosamplerate', 44100],
        ['audiosamplesize', 16],
        ['stereo', false],
        ['audiocodecid', 10],
        ['encoder', 'Lavf59.27.100'],
        ['filesize', 0],
      ]),
    ],
  },
  {
    name: 'connect command object (GStreamer rtmp2sink, first fields)',
    bytes: hex(
      '020007636f6e6e656374003ff00000000000000300036170700200046c69766500047479706502000a6e6f6e707269766174650008666c61736856657202000e4c4e582031302c302c33322c31380005746355726c02001b72746d703a2f2f3132372e302e302e313a34313932352f6c697665000009',
    ),
    value: [
      'connect',
      1,
      obj([
        ['app', 'live'],
        ['type', 'nonprivate'],
        ['flashVer', 'LNX 10,0,32,18'],
        ['tcUrl', 'rtmp://127.0.0.1:41925/live'],
      ]),
    ],
  },
  { name: 'strict array, undefined, date', bytes: hex('0a00000002 0101 06 0b 4270000000000000 0000'), value: [[true, undefined], new Amf0Date(1073741824 * 1024, 0)] },
  { name: 'typed object', bytes: hex('10 0003 466f6f 0001 61 05 000009'), value: [new Amf0Object([['a', null]], 'typed-object', 'Foo')] },
];

describe('amf0', () => {
  for (const { name, bytes, value } of cases) {
    it(`decodes ${name}`, () => {
      assert.deepEqual(decodeAmf0(bytes), value);
    });
    it(`encodes ${name} back to the same bytes`, () => {
      assertBytes(encodeAmf0(value), bytes);
    });
  }

  it('keeps object key order and offers typed getters', () => {
    const [, , props] = decodeAmf0(cases[4]!.bytes);
    assert.ok(props instanceof Amf0Object);
    assert.deepEqual(props.entries.map(([k]) => k), ['app', 'type', 'flashVer', 'tcUrl']);
    assert.equal(props.getString('app'), 'live');
    assert.equal(props.getNumber('app'), undefined);
    assert.equal(props.getString('missing'), undefined);
  });

  it('encodes strings over 65535 bytes as long strings and reads them back', () => {
    const long = 'x'.repeat(70_000);
    const bytes = encodeAmf0([long]);
    assert.equal(bytes[0], 0x0c);
    assert.deepEqual(decodeAmf0(bytes), [long]);
  });

  const errors: Array<{ name: string; bytes: Uint8Array; code: ParseError['code'] }> = [
    { name: 'truncated number', bytes: hex('00 3ff0'), code: 'buffer-too-short' },
    { name: 'truncated string', bytes: hex('02 0010 6162'), code: 'buffer-too-short' },
    { name: 'reference marker', bytes: hex('07 0001'), code: 'amf0-unsupported-type' },
    { name: 'AVM+ marker', bytes: hex('11'), code: 'amf0-unsupported-type' },
    { name: 'object without end marker', bytes: hex('03 0001 61 05 0000 05'), code: 'amf0-invalid' },
    { name: 'long string over the limit', bytes: hex('0c 7fffffff'), code: 'amf0-too-long' },
    { name: 'strict array count over the limit', bytes: hex('0a 00100000'), code: 'amf0-too-long' },
    { name: 'nesting bomb', bytes: new Uint8Array(new Array(40).fill([0x0a, 0, 0, 0, 1]).flat()), code: 'amf0-too-deep' },
  ];
  for (const { name, bytes, code } of errors) {
    it(`rejects ${name} with ParseError ${code}`, () => {
      assert.throws(() => decodeAmf0(bytes), (error: unknown) => error instanceof ParseError && error.code === code);
    });
  }
});
