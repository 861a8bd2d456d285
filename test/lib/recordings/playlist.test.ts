import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishPlaylist, parseRecordedPlaylist } from '../../../lib/recordings/playlist';

const VOD = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000,
seg-1.m4s
#EXTINF:1.960,
seg-2.m4s
#EXT-X-DISCONTINUITY
#EXT-X-MAP:URI="init-2.mp4"
#EXTINF:2.040,
seg-3.m4s
#EXT-X-ENDLIST
`;

describe('parseRecordedPlaylist', () => {
  it('sums EXTINF and lists segments and maps', () => {
    assert.deepEqual(parseRecordedPlaylist(VOD), {
      durationMs: 6000,
      segments: ['seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s'],
      maps: ['init.mp4', 'init-2.mp4'],
      ended: true,
      segmentStartsMs: [0, 2000, 3960],
    });
  });
  const rejected: Array<[string, string]> = [
    ['not a playlist', 'hello'],
    ['no segments', '#EXTM3U\n#EXT-X-ENDLIST\n'],
    ['absolute segment URI', '#EXTM3U\n#EXTINF:2,\n/etc/passwd\n'],
    ['segment in a parent folder', '#EXTM3U\n#EXTINF:2,\n../x.m4s\n'],
    ['remote segment', '#EXTM3U\n#EXTINF:2,\nhttp://evil/x.m4s\n'],
    ['map outside', '#EXTM3U\n#EXT-X-MAP:URI="../init.mp4"\n#EXTINF:2,\na.m4s\n'],
    ['segment without EXTINF', '#EXTM3U\na.m4s\n'],
    ['negative EXTINF', '#EXTM3U\n#EXTINF:-2,\na.m4s\n'],
  ];
  for (const [name, text] of rejected) {
    it(`rejects: ${name}`, () => assert.throws(() => parseRecordedPlaylist(text), { name: 'PlaylistError' }));
  }
});

describe('finishPlaylist', () => {
  it('turns an unfinished EVENT playlist into VOD with ENDLIST', () => {
    const event = VOD.replace('#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-PLAYLIST-TYPE:EVENT').replace('#EXT-X-ENDLIST\n', '');
    const finished = finishPlaylist(event);
    assert.equal(finished, VOD);
    assert.equal(parseRecordedPlaylist(finished).ended, true);
  });
});
