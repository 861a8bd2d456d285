'use client';

// The watch page's player: video.js 8 with its bundled @videojs/http-streaming (VHS) for LL-HLS.
// video.js and its CSS come from node_modules and are bundled by Next (no CDN); the library is
// imported dynamically so it only loads in the browser, after hydration.
//
// When a channel has just gone live its playlist may not exist for a second or two, and a live
// stream can hiccup; the player then retries quietly with a short backoff instead of showing an
// error, until the page unmounts it (the stream ended).
import 'video.js/dist/video-js.css';
import { useEffect, useRef, useState } from 'react';
import type Player from 'video.js/dist/types/player';
import { seekHotkeys } from './seek-keys';
import styles from './video-player.module.css';

export interface VideoPlayerProps {
  /** The HLS playlist URL (never contains a stream key). */
  src: string;
  /** Accessible name of the player region. */
  label: string;
}

type Phase = 'loading' | 'retrying' | 'playing';

const HLS_TYPE = 'application/x-mpegURL';
const RETRY_DELAYS_MS = [500, 1_000, 1_500, 2_000, 3_000, 5_000];

export function VideoPlayer({ src, label }: VideoPlayerProps) {
  const holder = useRef<HTMLDivElement>(null);
  const playerRef = useRef<Player | null>(null);
  const [phase, setPhase] = useState<Phase>('loading');
  const [muted, setMuted] = useState(true);

  useEffect(() => {
    let disposed = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;

    void import('video.js').then(({ default: videojs }) => {
      const container = holder.current;
      if (disposed || !container) return;
      // video.js replaces and removes the element it is given, so it gets one React never renders.
      const element = document.createElement('video-js');
      element.classList.add('vjs-big-play-centered', 'vjs-theme-onair');
      element.setAttribute('playsinline', '');
      container.appendChild(element);

      const player = videojs(element, {
        autoplay: 'muted',
        muted: true,
        controls: true,
        liveui: true,
        // Show the live UI (seek bar over what the playlist lists: the live window, or the whole
        // broadcast so far when it is recorded, and the "LIVE" jump-to-edge button) even for the
        // short windows LL-HLS playlists have; video.js only tracks windows of 20 s and more by default.
        liveTracker: { trackingThreshold: 0 },
        // Space/k play-pause, m mute, f fullscreen once the player has focus; ←/→ seek 5 s (back
        // through the whole broadcast when it is recorded), End back to live (seek-keys.ts).
        userActions: { hotkeys: seekHotkeys },
        fill: true,
        preload: 'auto',
        playsinline: true,
        // Errors while a stream is starting are expected and retried; the overlay says so instead.
        errorDisplay: false,
        html5: {
          vhs: { llhls: true, overrideNative: true },
          nativeAudioTracks: false,
          nativeVideoTracks: false,
        },
        sources: [{ src, type: HLS_TYPE }],
      });
      playerRef.current = player;

      const retry = () => {
        if (disposed) return;
        const delay = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length - 1)] ?? 5_000;
        attempts++;
        setPhase('retrying');
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => {
          if (disposed) return;
          player.error(null);
          player.src({ src, type: HLS_TYPE });
          player.play()?.catch(() => setPhase('retrying'));
        }, delay);
      };

      player.on('error', retry);
      player.on('playing', () => {
        attempts = 0;
        setPhase('playing');
      });
      player.on('volumechange', () => setMuted(player.muted() === true || player.volume() === 0));
    });

    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      playerRef.current?.dispose();
      playerRef.current = null;
    };
  }, [src]);

  const unmute = () => {
    const player = playerRef.current;
    if (!player) return;
    player.muted(false);
    if ((player.volume() ?? 0) === 0) player.volume(1);
    if (player.paused()) void player.play()?.catch(() => setPhase('retrying'));
  };

  return (
    <div className={styles.frame} role="region" aria-label={label}>
      <div ref={holder} className={styles.holder} data-phase={phase} />
      {phase !== 'playing' && (
        <div className={styles.status} role="status">
          <span className={styles.spinner} aria-hidden="true" />
          {phase === 'loading' ? 'Loading stream…' : 'Connecting to the stream…'}
        </div>
      )}
      {muted && phase === 'playing' && (
        <button type="button" className={styles.unmute} onClick={unmute}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M11 5 6 9H2v6h4l5 4V5z" />
            <path d="m23 9-6 6M17 9l6 6" />
          </svg>
          Click to unmute
        </button>
      )}
    </div>
  );
}
