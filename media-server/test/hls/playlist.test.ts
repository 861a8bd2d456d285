import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serializeMediaPlaylist, serializeMultivariantPlaylist, type MediaPlaylist } from '../../src/hls/playlist.js';

const pdt = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, s));
const part = (n: number, independent = false) => ({ duration: 0.2, uri: `x/part-${n}.m4s`, independent });

const live: MediaPlaylist = {
  version: 6,
  targetDuration: 2,
  mediaSequence: 10,
  discontinuitySequence: 0,
  independentSegments: true,
  serverControl: { canBlockReload: true, canSkipUntil: 12, holdBack: 6, partHoldBack: 0.6 },
  partTarget: 0.2,
  segments: [
    { discontinuity: false, map: 'x/init-0.mp4', programDateTime: pdt(0), parts: [], duration: 2, uri: 'x/seg-10.m4s' },
    { discontinuity: false, programDateTime: pdt(2), parts: [part(50, true), part(51)], duration: 0.4, uri: 'x/seg-11.m4s' },
  ],
  partialSegment: { discontinuity: true, map: 'x/init-1.mp4', programDateTime: pdt(30), parts: [part(52, true)] },
  preloadHintUri: 'x/part-53.m4s',
  endList: false,
};

describe('hls playlist serializer', () => {
  it('LL-HLS media playlist, exact text', () => {
    assert.equal(
      serializeMediaPlaylist(live),
      `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12,HOLD-BACK=6,PART-HOLD-BACK=0.6
#EXT-X-PART-INF:PART-TARGET=0.2
#EXT-X-MEDIA-SEQUENCE:10
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="x/init-0.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:00.000Z
#EXTINF:2,
x/seg-10.m4s
#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:02.000Z
#EXT-X-PART:DURATION=0.2,URI="x/part-50.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.2,URI="x/part-51.m4s"
#EXTINF:0.4,
x/seg-11.m4s
#EXT-X-DISCONTINUITY
#EXT-X-MAP:URI="x/init-1.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:30.000Z
#EXT-X-PART:DURATION=0.2,URI="x/part-52.m4s",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="x/part-53.m4s"
`,
    );
  });

  it('delta update and ended playlist', () => {
    const text = serializeMediaPlaylist({
      ...live,
      version: 9,
      discontinuitySequence: 3,
      skippedSegments: 1,
      segments: live.segments.slice(1),
      partialSegment: undefined,
      preloadHintUri: undefined,
      serverControl: undefined,
      partTarget: undefined,
      endList: true,
    });
    assert.equal(
      text,
      `#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:10
#EXT-X-DISCONTINUITY-SEQUENCE:3
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-SKIP:SKIPPED-SEGMENTS=1
#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:02.000Z
#EXT-X-PART:DURATION=0.2,URI="x/part-50.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.2,URI="x/part-51.m4s"
#EXTINF:0.4,
x/seg-11.m4s
#EXT-X-ENDLIST
`,
    );
  });

  it('multivariant playlist, exact text', () => {
    assert.equal(
      serializeMultivariantPlaylist({
        independentSegments: true,
        variants: [{ bandwidth: 2_750_000.4, codecs: ['avc1.64001f', 'mp4a.40.2'], resolution: { width: 1280, height: 720 }, frameRate: 29.97, uri: 'media.m3u8' }],
      }),
      `#EXTM3U
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=2750000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970
media.m3u8
`,
    );
  });

  it('refuses a URI that would break the quoted-string syntax', () => {
    assert.throws(() => serializeMediaPlaylist({ ...live, preloadHintUri: 'a"b' }));
  });
});
