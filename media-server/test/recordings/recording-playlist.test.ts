// The recording's playlist (CONTRACT-15 item 2) and the start-up finishing of an EVENT playlist.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishEventPlaylistText, serializeMediaPlaylist, serializeMediaSegment } from '../../src/hls/playlist.js';
import { buildRecordingPlaylist, type RecordedSegment } from '../../src/recordings/recording-playlist.js';

const start = Date.UTC(2026, 11, 4, 12, 0, 0);
function segment(msn: number, initId: number, discontinuity = false, duration = 2): RecordedSegment {
  return { msn, initId, discontinuity, duration, programDateTime: new Date(start + msn * 2000) };
}

describe('recording playlist', () => {
  const segments = [segment(0, 0), segment(1, 0), segment(2, 1, true, 1.5), segment(3, 1), segment(4, 2, false, 2.4)];

  it('is an EVENT playlist while recording: relative URIs, EXT-X-MAP before the first segment, after a discontinuity and on a new init; dates where the timeline starts or breaks', () => {
    const text = serializeMediaPlaylist(buildRecordingPlaylist(segments, 2, false));
    assert.equal(
      text,
      [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        '#EXT-X-TARGETDURATION:2',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-MAP:URI="init-0.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2026-12-04T12:00:00.000Z',
        '#EXTINF:2,',
        'seg-0.m4s',
        '#EXTINF:2,',
        'seg-1.m4s',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-MAP:URI="init-1.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2026-12-04T12:00:04.000Z',
        '#EXTINF:1.5,',
        'seg-2.m4s',
        '#EXTINF:2,',
        'seg-3.m4s',
        '#EXT-X-MAP:URI="init-2.mp4"',
        '#EXTINF:2.4,',
        'seg-4.m4s',
        '',
      ].join('\n'),
    );
  });

  it('is VOD with EXT-X-ENDLIST once finished, and repeats EXT-X-MAP after a discontinuity with the same init', () => {
    const sameInit = [segment(0, 0), segment(1, 0, true)];
    const text = serializeMediaPlaylist(buildRecordingPlaylist(sameInit, 2, true));
    assert.match(text, /#EXT-X-PLAYLIST-TYPE:VOD\n/);
    assert.match(text, /#EXT-X-ENDLIST\n$/);
    assert.match(text, /#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-0\.mp4"\n/);
    assert.equal(text.match(/#EXT-X-MAP/g)?.length, 2);
  });

  it('raises EXT-X-TARGETDURATION to the longest segment (rounded) the recording holds', () => {
    assert.match(serializeMediaPlaylist(buildRecordingPlaylist([segment(0, 0, false, 3.6)], 2, true)), /#EXT-X-TARGETDURATION:4\n/);
    assert.match(serializeMediaPlaylist(buildRecordingPlaylist([segment(0, 0, false, 2.4)], 2, true)), /#EXT-X-TARGETDURATION:2\n/);
  });

  it('rewriting after each segment lists every segment again, the same text for the ones before', () => {
    const first = serializeMediaPlaylist(buildRecordingPlaylist(segments.slice(0, 2), 2, false));
    const second = serializeMediaPlaylist(buildRecordingPlaylist(segments.slice(0, 3), 2, false));
    assert.ok(second.startsWith(first));
  });

  it('a new segment appended as its own lines gives the whole playlist with it (the recorder appends)', () => {
    const first = serializeMediaPlaylist(buildRecordingPlaylist(segments.slice(0, 2), 2, false));
    const listed = buildRecordingPlaylist(segments.slice(0, 3), 2, false).segments;
    assert.equal(first + serializeMediaSegment(listed[2]!), serializeMediaPlaylist(buildRecordingPlaylist(segments.slice(0, 3), 2, false)));
  });
});

describe('finishing an EVENT playlist found at start-up', () => {
  const event = serializeMediaPlaylist(buildRecordingPlaylist([segment(0, 0), segment(1, 0)], 2, false));

  it('makes it VOD with EXT-X-ENDLIST, same segments', () => {
    assert.equal(finishEventPlaylistText(event), serializeMediaPlaylist(buildRecordingPlaylist([segment(0, 0), segment(1, 0)], 2, true)));
  });

  it('drops the torn tail of an append cut short by a crash: the segments before it stay', () => {
    const finishedTwo = serializeMediaPlaylist(buildRecordingPlaylist([segment(0, 0), segment(1, 0)], 2, true));
    for (const tail of ['#EXT-X-DISCONTINUITY\n', '#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1.mp4"\n#EXTINF:2,\n', '#EXTINF:2,\nseg-2.m', '#EXTINF:2,\nseg-2.m4s', '#EXTI']) {
      assert.equal(finishEventPlaylistText(event + tail), finishedTwo, JSON.stringify(tail));
    }
    const header = event.slice(0, event.indexOf('#EXT-X-MAP'));
    assert.equal(finishEventPlaylistText(header), undefined, 'no complete segment');
  });

  it('leaves finished, live and foreign playlists alone', () => {
    assert.equal(finishEventPlaylistText(finishEventPlaylistText(event)!), undefined);
    assert.equal(finishEventPlaylistText('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg-0.m4s\n'), undefined);
    assert.equal(finishEventPlaylistText('not a playlist'), undefined);
    assert.equal(finishEventPlaylistText(''), undefined);
  });
});
