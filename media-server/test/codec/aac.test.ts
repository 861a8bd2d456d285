// AudioSpecificConfig values: 1210 is what ffmpeg's aac encoder sends at 44.1 kHz stereo (the
// FLV AAC sequence header of publishTestPattern); 1188 from `-ar 48000 -ac 1 -c:a aac out.mp4` (esds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAudioSpecificConfig } from '../../src/codec/aac.js';
import { CodecError } from '../../src/codec/bit-reader.js';

const cases = [
  { name: 'AAC-LC 44.1 kHz stereo', bytes: '1210', value: { objectType: 2, sampleRate: 44100, channels: 2, codec: 'mp4a.40.2', samplesPerFrame: 1024 } },
  { name: 'AAC-LC 48 kHz mono', bytes: '1188', value: { objectType: 2, sampleRate: 48000, channels: 1, codec: 'mp4a.40.2', samplesPerFrame: 1024 } },
  { name: 'HE-AAC (SBR) 24 kHz core', bytes: '2b092000', value: { objectType: 5, sampleRate: 24000, channels: 1, codec: 'mp4a.40.5', samplesPerFrame: 1024 } },
  { name: 'explicit 24-bit frequency', bytes: '17800bb8000100', value: { objectType: 2, sampleRate: 6000, channels: 0, codec: 'mp4a.40.2', samplesPerFrame: 1024 } },
  { name: '960-sample frames', bytes: '1214', value: { objectType: 2, sampleRate: 44100, channels: 2, codec: 'mp4a.40.2', samplesPerFrame: 960 } },
];

describe('aac AudioSpecificConfig', () => {
  for (const { name, bytes, value } of cases) {
    it(name, () => assert.deepEqual(decodeAudioSpecificConfig(Buffer.from(bytes, 'hex')), value));
  }

  it('rejects reserved frequency indexes and short configs', () => {
    assert.throws(() => decodeAudioSpecificConfig(Uint8Array.of(0x12)), CodecError);
    assert.throws(() => decodeAudioSpecificConfig(Uint8Array.of(0x16, 0x90)), CodecError); // index 13
  });
});
