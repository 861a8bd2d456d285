import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeScriptData, encodeScriptData, scriptDataToMetadata } from '../../src/flv/script-data.js';
import { Amf0Object } from '../../src/amf/amf0.js';
import { MessageType } from '../../src/rtmp/messages.js';
import { ChunkReader } from '../../src/rtmp/chunk-reader.js';
import { assertBytes, loadCapture, splitCapture } from '../helpers/captures.js';

function metadataPayload(capture: 'ffmpeg-publish' | 'gstreamer-publish'): Uint8Array {
  const messages = new ChunkReader().push(splitCapture(loadCapture(capture)).chunks);
  const data = messages.find((m) => m.typeId === MessageType.DataAmf0);
  assert.ok(data);
  return data.payload;
}

describe('script data', () => {
  it('extracts the publish metadata ffmpeg sends', () => {
    assert.deepEqual(scriptDataToMetadata(decodeScriptData(metadataPayload('ffmpeg-publish'))), {
      type: 'metadata',
      width: 160,
      height: 120,
      frameRate: 10,
      videoBitrateKbps: 97.65625,
      audioBitrateKbps: 31.25,
      audioSampleRate: 44100,
      audioChannels: 1,
      encoder: 'Lavf59.27.100',
    });
  });

  it('extracts the publish metadata GStreamer flvmux sends', () => {
    assert.deepEqual(scriptDataToMetadata(decodeScriptData(metadataPayload('gstreamer-publish'))), {
      type: 'metadata',
      width: 160,
      height: 120,
      frameRate: 10,
      videoBitrateKbps: 100,
      encoder: 'GStreamer 1.22.0 FLV muxer',
    });
  });

  it('re-encodes the captured script data byte for byte', () => {
    const bytes = metadataPayload('ffmpeg-publish');
    assertBytes(encodeScriptData(decodeScriptData(bytes)), bytes);
  });

  it('accepts a bare onMetaData and ignores other handlers', () => {
    assert.deepEqual(scriptDataToMetadata({ name: 'onMetaData', values: [Amf0Object.from({ width: 1280, height: 720, framerate: 30, encoder: 'obs-output module (libobs version 29.1.3)' })] }), {
      type: 'metadata',
      width: 1280,
      height: 720,
      frameRate: 30,
      encoder: 'obs-output module (libobs version 29.1.3)',
    });
    assert.equal(scriptDataToMetadata({ name: 'onTextData', values: [] }), null);
  });

  it('ignores nonsense numbers and caps the encoder string', () => {
    const metadata = scriptDataToMetadata({ name: 'onMetaData', values: [Amf0Object.from({ width: -1, height: Number.NaN, framerate: 0, encoder: 'x'.repeat(1000) })] });
    assert.deepEqual(metadata, { type: 'metadata', encoder: 'x'.repeat(256) });
  });
});
