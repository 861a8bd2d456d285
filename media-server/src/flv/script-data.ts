// FLV SCRIPTDATA (Adobe FLV spec v10.1, E.4.4): the AMF0 values of an RTMP data message. Publishers
// send `@setDataFrame("onMetaData", {...})` (FMLE/OBS/ffmpeg) or a bare `onMetaData({...})`.
import type { StreamMetadata } from '../media/types.js';
import { Amf0Object, decodeAmf0, encodeAmf0, type Amf0Value } from '../amf/amf0.js';

export interface ScriptData {
  /** The handler name: 'onMetaData', 'onTextData', '@setDataFrame', ... */
  readonly name: string;
  readonly values: Amf0Value[];
}

export function decodeScriptData(bytes: Uint8Array): ScriptData {
  return fromValues(decodeAmf0(bytes));
}

export function fromValues(all: Amf0Value[]): ScriptData {
  const [name, ...values] = all;
  return { name: typeof name === 'string' ? name : '', values };
}

export function encodeScriptData(data: ScriptData): Uint8Array {
  return encodeAmf0([data.name, ...data.values]);
}

/** Unwraps `@setDataFrame` so callers see what a player would: `onMetaData(obj)`. */
export function unwrapSetDataFrame(data: ScriptData): ScriptData {
  if (data.name !== '@setDataFrame') return data;
  return fromValues(data.values);
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Extracts the stream description from onMetaData; null for any other script data. */
export function scriptDataToMetadata(data: ScriptData): StreamMetadata | null {
  const unwrapped = unwrapSetDataFrame(data);
  if (unwrapped.name !== 'onMetaData') return null;
  const object = unwrapped.values[0];
  if (!(object instanceof Amf0Object)) return { type: 'metadata' };
  const encoder = object.getString('encoder');
  const stereo = object.getBoolean('stereo');
  const channels = positive(object.getNumber('audiochannels')) ?? (stereo === undefined ? undefined : stereo ? 2 : 1);
  const out: { -readonly [K in keyof StreamMetadata]: StreamMetadata[K] } = { type: 'metadata' };
  const set = <K extends Exclude<keyof StreamMetadata, 'type'>>(key: K, value: StreamMetadata[K]) => {
    if (value !== undefined) out[key] = value;
  };
  set('width', positive(object.getNumber('width')));
  set('height', positive(object.getNumber('height')));
  set('frameRate', positive(object.getNumber('framerate') ?? object.getNumber('videoframerate')));
  set('videoBitrateKbps', positive(object.getNumber('videodatarate')));
  set('audioBitrateKbps', positive(object.getNumber('audiodatarate')));
  set('audioSampleRate', positive(object.getNumber('audiosamplerate')));
  set('audioChannels', channels);
  // Bounded: this string ends up in logs and in /api/streams.
  set('encoder', encoder?.slice(0, 256));
  return out;
}
