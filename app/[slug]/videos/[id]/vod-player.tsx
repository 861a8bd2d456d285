'use client';

// A past broadcast in video.js: a finished (VOD) HLS playlist with a seek bar, keyboard seeking
// (left/right arrows 5 s, plus video.js's space/k, m, f) and an optional start time.
import 'video.js/dist/video-js.css';
import { useEffect, useRef } from 'react';
import type Player from 'video.js/dist/types/player';
import styles from '@/app/_components/player/video-player.module.css';

const SEEK_STEP_SECONDS = 5;
const KEY_LEFT = 'ArrowLeft';
const KEY_RIGHT = 'ArrowRight';

export function VodPlayer({ src, startAt, label }: { src: string; startAt: number; label: string }) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let disposed = false;
    let player: Player | null = null;
    void import('video.js').then(({ default: videojs }) => {
      const container = holder.current;
      if (disposed || !container) return;
      const element = document.createElement('video-js');
      element.classList.add('vjs-big-play-centered', 'vjs-theme-onair');
      element.setAttribute('playsinline', '');
      container.appendChild(element);
      player = videojs(element, {
        controls: true,
        autoplay: 'muted',
        muted: true,
        fill: true,
        preload: 'auto',
        playsinline: true,
        userActions: {
          hotkeys(this: Player, event: KeyboardEvent) {
            const now = this.currentTime() ?? 0;
            if (event.key === KEY_LEFT || event.key === KEY_RIGHT) {
              event.preventDefault();
              const step = event.key === KEY_LEFT ? -SEEK_STEP_SECONDS : SEEK_STEP_SECONDS;
              this.currentTime(Math.max(0, Math.min(now + step, this.duration() ?? now + step)));
            } else if (event.key === ' ' || event.key === 'k') {
              event.preventDefault();
              if (this.paused()) void this.play();
              else this.pause();
            } else if (event.key === 'm') {
              this.muted(!this.muted());
            } else if (event.key === 'f') {
              if (this.isFullscreen()) void this.exitFullscreen();
              else void this.requestFullscreen();
            }
          },
        },
        html5: { vhs: { overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false },
        sources: [{ src, type: 'application/x-mpegURL' }],
      });
      if (startAt > 0) player.one('loadedmetadata', () => player?.currentTime(startAt));
    });
    return () => {
      disposed = true;
      player?.dispose();
    };
  }, [src, startAt]);

  return (
    <div className={styles.frame} role="region" aria-label={label}>
      <div ref={holder} className={styles.holder} data-phase="playing" />
    </div>
  );
}
