// The decode timestamps of the video frames in an MPEG-TS segment (ISO/IEC 13818-1): PAT -> PMT ->
// the H.264 elementary stream's PID (stream_type 0x1B), then the DTS (or PTS) of each PES header.
// nginx-rtmp writes one PES per frame with DTS = RTMP timestamp * 90.

const packetSize = 188;

function pesTimestamp(b: Uint8Array, at: number): number {
  const b0 = b[at] ?? 0;
  const b1 = b[at + 1] ?? 0;
  const b2 = b[at + 2] ?? 0;
  const b3 = b[at + 3] ?? 0;
  const b4 = b[at + 4] ?? 0;
  return ((b0 >> 1) & 0x07) * 2 ** 30 + ((b1 << 7) | (b2 >> 1)) * 2 ** 15 + ((b3 << 7) | (b4 >> 1));
}

/** DTS of every video PES in the segment, in 90 kHz units. */
export function videoDtsOf(segment: Uint8Array): number[] {
  if (segment.length % packetSize !== 0) throw new Error(`mpegts: ${segment.length} bytes is not a whole number of packets`);
  let pmtPid = -1;
  let videoPid = -1;
  const dts: number[] = [];
  for (let p = 0; p < segment.length; p += packetSize) {
    if (segment[p] !== 0x47) throw new Error(`mpegts: no sync byte at ${p}`);
    const pusi = ((segment[p + 1] ?? 0) & 0x40) !== 0;
    const pid = (((segment[p + 1] ?? 0) & 0x1f) << 8) | (segment[p + 2] ?? 0);
    const afc = ((segment[p + 3] ?? 0) >> 4) & 0x3;
    let at = p + 4;
    if (afc === 2 || afc === 3) at += 1 + (segment[at] ?? 0);
    if (afc === 2 || !pusi || at >= p + packetSize) continue;
    if (pid === 0) {
      at += 1 + (segment[at] ?? 0); // pointer_field
      // PAT: first program's PMT PID after the 8-byte section header.
      pmtPid = (((segment[at + 10] ?? 0) & 0x1f) << 8) | (segment[at + 11] ?? 0);
    } else if (pid === pmtPid) {
      at += 1 + (segment[at] ?? 0);
      const sectionEnd = at + 3 + ((((segment[at + 1] ?? 0) & 0x0f) << 8) | (segment[at + 2] ?? 0)) - 4;
      const programInfoLength = (((segment[at + 10] ?? 0) & 0x0f) << 8) | (segment[at + 11] ?? 0);
      for (let e = at + 12 + programInfoLength; e + 5 <= Math.min(sectionEnd, p + packetSize); ) {
        const esPid = (((segment[e + 1] ?? 0) & 0x1f) << 8) | (segment[e + 2] ?? 0);
        if (segment[e] === 0x1b) videoPid = esPid;
        e += 5 + ((((segment[e + 3] ?? 0) & 0x0f) << 8) | (segment[e + 4] ?? 0));
      }
    } else if (pid === videoPid) {
      const flags = (segment[at + 7] ?? 0) >> 6; // PTS_DTS_flags
      if (flags === 3) dts.push(pesTimestamp(segment, at + 14));
      else if (flags === 2) dts.push(pesTimestamp(segment, at + 9));
    }
  }
  return dts;
}
