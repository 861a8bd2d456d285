// The contract between ingest (rtmp/, flv/) and the outputs (hls/): what one published stream
// is made of once the RTMP/FLV framing is gone. Ingest produces these values; outputs consume
// them through a StreamSink. Nothing here knows about sockets, HTTP or clocks.

export type VideoCodec = 'h264' | 'h265' | 'av1';
export type AudioCodec = 'aac';

/**
 * Decoder configuration as the publisher sent it in its sequence header, byte for byte:
 * the AVCDecoderConfigurationRecord (avcC) for H.264, HEVCDecoderConfigurationRecord (hvcC)
 * for H.265, AV1CodecConfigurationRecord (av1C) for AV1. It goes into the init segment as is.
 */
export interface VideoConfig {
  readonly type: 'video-config';
  readonly codec: VideoCodec;
  readonly record: Uint8Array;
}

/** AAC AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), as sent in the AAC sequence header. */
export interface AudioConfig {
  readonly type: 'audio-config';
  readonly codec: AudioCodec;
  readonly config: Uint8Array;
}

/**
 * One coded video frame (access unit).
 * `timestamp` is the RTMP timestamp as received: 32-bit milliseconds, wrapping at 2^32, not
 * guaranteed monotonic. Unwrapping and repairing timestamps is the output's job (hls/timing).
 * `compositionOffset` is presentation minus decode time in ms (signed; B-frames make it > 0).
 * `data` for H.264/H.265 is length-prefixed NAL units (4-byte lengths, as in avcC/hvcC with
 * lengthSizeMinusOne = 3 in practice; the record says); for AV1 it is low-overhead OBUs.
 */
export interface VideoFrame {
  readonly type: 'video';
  readonly timestamp: number;
  readonly compositionOffset: number;
  readonly keyframe: boolean;
  readonly data: Uint8Array;
}

/** One raw AAC frame (no ADTS header). `timestamp` as in VideoFrame. */
export interface AudioFrame {
  readonly type: 'audio';
  readonly timestamp: number;
  readonly data: Uint8Array;
}

/** What the publisher says about its stream in @setDataFrame/onMetaData; every field optional. */
export interface StreamMetadata {
  readonly type: 'metadata';
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  readonly videoBitrateKbps?: number;
  readonly audioBitrateKbps?: number;
  readonly audioSampleRate?: number;
  readonly audioChannels?: number;
  readonly encoder?: string;
}

export type MediaMessage = VideoConfig | AudioConfig | VideoFrame | AudioFrame | StreamMetadata;

/** Why a published stream ended; carried to logs and to on_publish_done handling. */
export type StreamEndReason = 'unpublish' | 'disconnect' | 'idle-timeout' | 'shutdown' | 'error';

/** Receives one published stream, in order. `end` is called exactly once. */
export interface StreamSink {
  write(message: MediaMessage): void;
  /**
   * The messages of one publisher read are all written: a sink that holds them to send them
   * together (RTMP playback: one socket write per player) sends them now.
   */
  flush?(): void;
  end(reason: StreamEndReason): void;
}

/** Identifies an accepted publish: `name` is the public name after the on_publish decision. */
export interface PublishedStream {
  readonly app: string;
  readonly name: string;
  readonly publishedAt: Date;
  /** The publisher's IP address, for operators (/api/streams); outputs may ignore it. */
  readonly publisherAddress?: string;
  /** The publisher's RTMP client id (on_record_done's `clientid`). */
  readonly clientId?: number;
  /** on_publish asked for this broadcast to be recorded (X-OnAir-Record: 1). */
  readonly record?: boolean;
}

/** Where accepted publishes go (HLS packaging); opened once per accepted publish. */
export interface StreamOutputs {
  open(stream: PublishedStream): StreamSink;
}
