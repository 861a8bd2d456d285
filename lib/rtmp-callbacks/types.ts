// The one shape a media server's callback is parsed into. OnAir speaks nginx-rtmp's notify form,
// which both nginx-rtmp and the bundled media server send.

/**
 * From nginx-rtmp's `call`. `update`: the on_update heartbeat of a running publish (`call=update_publish`).
 * `play` / `play_done`: an RTMP player asks to watch / stopped watching (on_play, on_play_done).
 */
export type CallbackKind = 'publish' | 'publish_done' | 'update' | 'play' | 'play_done' | 'other';

export interface PublishCallback {
  kind: CallbackKind;
  /** RTMP application (`live`). */
  app: string;
  /** Stream name as published: the secret key (form a) or the channel slug (form b); for play, the name asked for. */
  name: string;
  /** Query arguments of the publish URL (`<name>?key=...`): `args.key` selects form b. */
  args: Record<string, string>;
  /** Publisher's IP address as the media server saw it. */
  addr: string;
  /** The media server's per-connection id. */
  clientId: string;
  /** Publisher software (`flashver`), empty when not sent. */
  flashVer: string;
}

export class CallbackParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackParseError';
  }
}

/** Longest value accepted in any callback field; longer means not a media server talking. */
export const MAX_FIELD_LENGTH = 2048;
/** Most fields (standard plus query arguments) accepted in one callback. */
export const MAX_FIELDS = 64;
/** Largest callback body read from the wire. */
export const MAX_CALLBACK_BODY_BYTES = 16 * 1024;
