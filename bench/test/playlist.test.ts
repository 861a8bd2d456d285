import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attribute, firstVariantUrl, hasParts, isMultivariant, nextPartRequest, parseMediaPlaylist, resolveUri } from '../lib/playlist.js';

const base = 'http://127.0.0.1:9/live/x/media.m3u8';

const llhls = `#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:2
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.6
#EXT-X-PART-INF:PART-TARGET=0.2
#EXT-X-MEDIA-SEQUENCE:5
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-11-24T07:00:00.000Z
#EXT-X-PART:DURATION=0.2,URI="p5.0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.2,URI="p5.1.m4s"
#EXTINF:2.000,
s5.m4s
#EXT-X-PART:DURATION=0.2,URI="p6.0.m4s",INDEPENDENT=YES
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="p6.1.m4s"
`;

describe('playlist parser', () => {
  it('reads segments, parts, the init section and server control', () => {
    const p = parseMediaPlaylist(llhls, base);
    assert.equal(p.targetDurationMs, 2000);
    assert.equal(p.partTargetMs, 200);
    assert.equal(p.canBlockReload, true);
    assert.equal(p.mapUri, 'http://127.0.0.1:9/live/x/init.mp4');
    assert.equal(p.segments.length, 1);
    assert.equal(p.segments[0]?.msn, 5);
    assert.equal(p.segments[0]?.programDateTimeMs, Date.parse('2026-11-24T07:00:00.000Z'));
    assert.deepEqual(p.segments[0]?.parts.map((part) => part.uri), ['http://127.0.0.1:9/live/x/p5.0.m4s', 'http://127.0.0.1:9/live/x/p5.1.m4s']);
    assert.deepEqual(p.pendingParts.map((part) => part.durationMs), [200]);
    assert.equal(hasParts(p), true);
  });

  it('asks for the part after the newest one, or part 0 of the next segment', () => {
    assert.deepEqual(nextPartRequest(parseMediaPlaylist(llhls, base)), { msn: 6, part: 1 });
    const closed = llhls.replace(/#EXT-X-PART:DURATION=0.2,URI="p6.0.m4s",INDEPENDENT=YES\n/, '');
    assert.deepEqual(nextPartRequest(parseMediaPlaylist(closed, base)), { msn: 6, part: 0 });
  });

  it('reads an nginx-rtmp playlist without parts', () => {
    const text = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:12\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nk-12.ts\n#EXTINF:2.000,\nk-13.ts\n';
    const p = parseMediaPlaylist(text, 'http://127.0.0.1:9/hls/k.m3u8');
    assert.deepEqual(p.segments.map((s) => [s.msn, s.uri]), [[12, 'http://127.0.0.1:9/hls/k-12.ts'], [13, 'http://127.0.0.1:9/hls/k-13.ts']]);
    assert.equal(hasParts(p), false);
    assert.equal(p.canBlockReload, false);
  });

  it('finds the first variant of a multivariant playlist', () => {
    const text = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2800000,CODECS="avc1.64001f,mp4a.40.2"\nmedia.m3u8\n';
    assert.equal(isMultivariant(text), true);
    assert.equal(firstVariantUrl(text, 'http://127.0.0.1:9/live/x/index.m3u8'), 'http://127.0.0.1:9/live/x/media.m3u8');
  });

  it('refuses text that is not a playlist', () => assert.throws(() => parseMediaPlaylist('{"error":"not found"}', base), /not a playlist/));
});

describe('attribute', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['DURATION=0.2,URI="p5.0.m4s",INDEPENDENT=YES', 'URI', 'p5.0.m4s'],
    ['DURATION=0.2,URI="p5.0.m4s",INDEPENDENT=YES', 'DURATION', '0.2'],
    ['DURATION=0.2,URI="p5.0.m4s",INDEPENDENT=YES', 'INDEPENDENT', 'YES'],
    ['BANDWIDTH=1,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1x1', 'RESOLUTION', '1x1'],
    ['BANDWIDTH=1,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1x1', 'CODECS', 'avc1.64001f,mp4a.40.2'],
    ['XURI="a",URI="b"', 'URI', 'b'],
    ['CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.6', 'HOLD-BACK', undefined],
    ['', 'URI', undefined],
    ['URI="unterminated', 'URI', 'unterminated'],
  ];
  for (const [list, name, expected] of cases) {
    it(`${name} of ${list || '(empty)'} is ${String(expected)}`, () => assert.equal(attribute(list, name), expected));
  }
});

describe('resolveUri', () => {
  it('gives what new URL(uri, base) gives, for plain relative paths and everything else', () => {
    const bases = ['http://127.0.0.1:8935/live/demo/media.m3u8?_HLS_msn=12&_HLS_part=3', 'http://127.0.0.1:8935/live/demo/index.m3u8', 'http://h/a/b/../c/x.m3u8#f', 'http://h/x'];
    const uris = ['abc123/part-12.m4s', 'seg-1.m4s', '../x.m4s', './y', '/abs/p', 'http://o/z', 'a b', '', 'a/.b', 'a/./b', 'a..b/c', '-x', 'media.m3u8?x=1', 'é'];
    for (const base of bases) for (const uri of uris) assert.equal(resolveUri(uri, base), new URL(uri, base).toString(), `${uri} against ${base}`);
  });
});
