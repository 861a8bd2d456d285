// Reads the video samples out of fMP4 (CMAF) media: which track is video (init segment:
// moov/trak/tkhd + mdia/hdlr 'vide'), and for a fragment or part the video sample sizes and
// decode times (moof/traf/tfhd + tfdt + trun, ISO/IEC 14496-12 8.8). Every length is checked.

interface Box {
  type: string;
  start: number;
  /** Offset of the payload (after size/type and largesize). */
  body: number;
  end: number;
}

function* boxes(buf: Uint8Array, start: number, end: number): Generator<Box> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = start;
  while (pos + 8 <= end) {
    let size = view.getUint32(pos);
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8));
    let body = pos + 8;
    if (size === 1) {
      if (pos + 16 > end) throw new Error(`mp4: truncated largesize of ${type}`);
      size = Number(view.getBigUint64(pos + 8));
      body = pos + 16;
    } else if (size === 0) size = end - pos;
    if (size < body - pos || pos + size > end) throw new Error(`mp4: box ${type} of ${size} bytes overruns its parent`);
    yield { type, start: pos, body, end: pos + size };
    pos += size;
  }
}

function child(buf: Uint8Array, parent: Box, type: string): Box | undefined {
  for (const box of boxes(buf, parent.body, parent.end)) if (box.type === type) return box;
  return undefined;
}

function children(buf: Uint8Array, parent: Box, type: string): Box[] {
  return [...boxes(buf, parent.body, parent.end)].filter((box) => box.type === type);
}

export interface VideoTrack {
  trackId: number;
  timescale: number;
}

export function videoTrackOf(init: Uint8Array): VideoTrack {
  const view = new DataView(init.buffer, init.byteOffset, init.byteLength);
  const moov = [...boxes(init, 0, init.length)].find((box) => box.type === 'moov');
  if (!moov) throw new Error('mp4: init segment without moov');
  for (const trak of children(init, moov, 'trak')) {
    const tkhd = child(init, trak, 'tkhd');
    const mdia = child(init, trak, 'mdia');
    const hdlr = mdia && child(init, mdia, 'hdlr');
    const mdhd = mdia && child(init, mdia, 'mdhd');
    if (!tkhd || !hdlr || !mdhd) continue;
    if (String.fromCharCode(...init.subarray(hdlr.body + 8, hdlr.body + 12)) !== 'vide') continue;
    const tkhdVersion = init[tkhd.body] ?? 0;
    const mdhdVersion = init[mdhd.body] ?? 0;
    return {
      trackId: view.getUint32(tkhd.body + (tkhdVersion === 1 ? 20 : 12)),
      timescale: view.getUint32(mdhd.body + (mdhdVersion === 1 ? 20 : 12)),
    };
  }
  throw new Error('mp4: no video track in init segment');
}

export interface VideoSample {
  /** Decode time in the track's timescale. */
  decodeTime: number;
  size: number;
}

/** Video samples of every moof in `media`, in order. */
export function videoSamples(media: Uint8Array, track: VideoTrack): VideoSample[] {
  const view = new DataView(media.buffer, media.byteOffset, media.byteLength);
  const samples: VideoSample[] = [];
  for (const moof of boxes(media, 0, media.length)) {
    if (moof.type !== 'moof') continue;
    for (const traf of children(media, moof, 'traf')) {
      const tfhd = child(media, traf, 'tfhd');
      if (!tfhd || view.getUint32(tfhd.body + 4) !== track.trackId) continue;
      // tfhd optional fields (8.8.7): base-data-offset 0x1, sample-description-index 0x2,
      // default-sample-duration 0x8, default-sample-size 0x10, default-sample-flags 0x20.
      const tfhdFlags = view.getUint32(tfhd.body) & 0xffffff;
      let at = tfhd.body + 8;
      if (tfhdFlags & 0x1) at += 8;
      if (tfhdFlags & 0x2) at += 4;
      let defaultDuration = 0;
      let defaultSize = 0;
      if (tfhdFlags & 0x8) {
        defaultDuration = view.getUint32(at);
        at += 4;
      }
      if (tfhdFlags & 0x10) defaultSize = view.getUint32(at);
      const tfdt = child(media, traf, 'tfdt');
      let time = 0;
      if (tfdt) time = (media[tfdt.body] ?? 0) === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
      for (const trun of children(media, traf, 'trun')) {
        // trun (8.8.8): data-offset 0x1, first-sample-flags 0x4, then per sample:
        // duration 0x100, size 0x200, flags 0x400, composition offset 0x800.
        const flags = view.getUint32(trun.body) & 0xffffff;
        const count = view.getUint32(trun.body + 4);
        let pos = trun.body + 8 + (flags & 0x1 ? 4 : 0) + (flags & 0x4 ? 4 : 0);
        const perSample = [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length * 4;
        if (pos + count * perSample > trun.end) throw new Error(`mp4: trun with ${count} samples overruns its box`);
        for (let i = 0; i < count; i++) {
          let duration = defaultDuration;
          let size = defaultSize;
          if (flags & 0x100) {
            duration = view.getUint32(pos);
            pos += 4;
          }
          if (flags & 0x200) {
            size = view.getUint32(pos);
            pos += 4;
          }
          if (flags & 0x400) pos += 4;
          if (flags & 0x800) pos += 4;
          samples.push({ decodeTime: time, size });
          time += duration;
        }
      }
    }
  }
  return samples;
}
