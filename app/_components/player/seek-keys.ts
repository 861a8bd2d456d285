// Keyboard seeking for the player (video.js `userActions.hotkeys` as a function, which replaces
// its defaults, so the defaults — f, m, k/space — are handed back to video.js): ←/→ move 5 s
// within what can be played (the whole recorded broadcast while live, issue #15), End returns to
// the live edge, as the LIVE button does.
import type LiveTracker from 'video.js/dist/types/live-tracker';
import type Player from 'video.js/dist/types/player';

export const SEEK_STEP_SECONDS = 5;

/** The time `delta` seconds from `current`, kept within the seekable range [start, end]. */
export function clampedSeek(current: number, delta: number, start: number, end: number): number {
  return Math.min(Math.max(current + delta, start), end);
}

type HotkeyPlayer = Player & { handleHotkeys(event: KeyboardEvent): void; liveTracker?: LiveTracker };

export function seekHotkeys(this: HotkeyPlayer, event: KeyboardEvent): void {
  const seekable = this.seekable();
  const live = this.liveTracker?.isLive() === true;
  if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && seekable.length > 0) {
    event.preventDefault();
    event.stopPropagation();
    const delta = event.key === 'ArrowLeft' ? -SEEK_STEP_SECONDS : SEEK_STEP_SECONDS;
    this.currentTime(clampedSeek(this.currentTime() ?? 0, delta, seekable.start(0), seekable.end(seekable.length - 1)));
    return;
  }
  if (event.key === 'End' && live) {
    event.preventDefault();
    event.stopPropagation();
    this.liveTracker?.seekToLiveEdge();
    return;
  }
  this.handleHotkeys(event);
}
