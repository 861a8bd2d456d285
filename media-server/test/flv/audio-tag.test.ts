import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AacPacketType, SoundFormat, audioTagToMedia, decodeAudioTag, encodeAudioTag, type AudioTag } from '../../src/flv/audio-tag.js';
import { ParseError } from '../../src/bytes/parse-error.js';
import { assertBytes, hex } from '../helpers/captures.js';

const aac = (aacPacketType: AacPacketType, data: Uint8Array, stereo = true): AudioTag => ({ soundFormat: SoundFormat.Aac, soundRate: 3, soundSize: 1, stereo, aacPacketType, data });

// From test/fixtures/ffmpeg-publish.bin (ffmpeg sends AAC as 0xAF, GStreamer mono as 0xAF too).
const cases: Array<{ name: string; bytes: Uint8Array; value: AudioTag }> = [
  { name: 'AAC AudioSpecificConfig (ffmpeg, LC 44.1 kHz mono + SBR ext)', bytes: hex('af00120856e500'), value: aac(AacPacketType.SequenceHeader, hex('120856e500')) },
  { name: 'AAC AudioSpecificConfig (GStreamer)', bytes: hex('af001208'), value: aac(AacPacketType.SequenceHeader, hex('1208')) },
  { name: 'AAC raw frame', bytes: hex('af01de02004c61'), value: aac(AacPacketType.Raw, hex('de02004c61')) },
  { name: 'MP3', bytes: hex('2f fffb'), value: { soundFormat: SoundFormat.Mp3, soundRate: 3, soundSize: 1, stereo: true, data: hex('fffb') } },
];

const normalise = (tag: AudioTag) => ({ ...tag, data: Buffer.from(tag.data).toString('hex') });

describe('audio tag', () => {
  for (const { name, bytes, value } of cases) {
    it(`decodes ${name}`, () => {
      assert.deepEqual(normalise(decodeAudioTag(bytes)), normalise(value));
    });
    it(`encodes ${name}`, () => {
      assertBytes(encodeAudioTag(value), bytes);
    });
  }

  it('maps AAC to audio-config and audio frames, other codecs to nothing', () => {
    assert.deepEqual(audioTagToMedia(cases[0]!.value, 0), { type: 'audio-config', codec: 'aac', config: cases[0]!.value.data });
    assert.deepEqual(audioTagToMedia(cases[2]!.value, 177), { type: 'audio', timestamp: 177, data: cases[2]!.value.data });
    assert.equal(audioTagToMedia(cases[3]!.value, 0), null);
  });

  it('rejects an empty tag, a missing AACPacketType, an unknown AACPacketType and a 1-byte AudioSpecificConfig', () => {
    for (const bytes of [hex(''), hex('af'), hex('af07')]) {
      assert.throws(() => decodeAudioTag(bytes), (e: unknown) => e instanceof ParseError && e.code === 'flv-invalid-tag');
    }
    assert.throws(() => audioTagToMedia(decodeAudioTag(hex('af0012')), 0), ParseError);
  });
});
