'use client';

// The dashboard's live panel: is the stream on air, for how long, how many watch, and what the
// media server receives (codecs, resolution, frame rate, bitrate), so a streamer sees at a glance
// that OBS sends what they think. Self-contained: give it the channel slug; it polls its own API
// (GET /api/channels/<slug>/stream) every few seconds while the tab is visible.
import { useEffect, useState } from 'react';
import type { IngestDetails, StreamHealth } from '@/lib/live/stream-health';
import { LiveBadge } from '../live/live-badge';
import { LiveTimer } from '../live/live-timer';
import { RelativeTime } from '../live/relative-time';
import styles from './live-panel.module.css';

const POLL_MS = 3_000;

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; health: StreamHealth; at: number };

export function LivePanel({ slug }: { slug: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/api/channels/${encodeURIComponent(slug)}/stream`, { cache: 'no-store', signal: abort.signal });
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          setLoad({ state: 'error', message: body?.error?.message ?? `The server answered ${response.status}.` });
        } else {
          setLoad({ state: 'ok', health: (await response.json()) as StreamHealth, at: Date.now() });
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        setLoad({ state: 'error', message: `Could not reach OnAir: ${error instanceof Error ? error.message : String(error)}` });
      }
      schedule();
    };
    const schedule = () => {
      clearTimeout(timer);
      if (abort.signal.aborted) return;
      // A hidden tab does not poll; it catches up the moment it is shown again.
      if (document.visibilityState === 'visible') timer = setTimeout(() => void poll(), POLL_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void poll();
      else clearTimeout(timer);
    };
    document.addEventListener('visibilitychange', onVisibility);
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [slug]);

  return (
    <section className={`panel ${styles.panel}`} aria-labelledby="live-panel-heading" data-testid="live-panel">
      <div className={styles.header}>
        <h2 id="live-panel-heading">Live status</h2>
        {load.state === 'ok' && <LiveBadge live={load.health.isLive} />}
      </div>
      {load.state === 'loading' && <p className="muted">Checking your stream…</p>}
      {load.state === 'error' && (
        <p className={styles.error} role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ok' && <HealthView health={load.health} at={load.at} />}
    </section>
  );
}

function HealthView({ health, at }: { health: StreamHealth; at: number }) {
  const { ingest } = health;
  return (
    <>
      {health.isLive && health.liveSince ? (
        <dl className={styles.figures}>
          <div>
            <dt>Uptime</dt>
            <dd>
              <LiveTimer since={health.liveSince} renderedAt={at} />
            </dd>
          </div>
          <div>
            <dt>Viewers now</dt>
            <dd data-testid="live-panel-viewers">{health.viewers}</dd>
          </div>
          <div>
            <dt>Peak this stream</dt>
            <dd>{health.peakViewers ?? 0}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">
          You are offline. Start streaming in OBS with the server and key below; this panel updates by itself.
          {health.lastLiveAt && (
            <>
              {' '}
              Last live <RelativeTime date={health.lastLiveAt} renderedAt={at} />.
            </>
          )}
        </p>
      )}

      <h3 className={styles.subheading}>What the media server receives</h3>
      {ingest.state === 'receiving' ? (
        <IngestTable details={ingest.details} />
      ) : ingest.state === 'not-receiving' ? (
        <p className="muted">{health.isLive ? 'The media server reports no stream under your channel name right now.' : 'Nothing is arriving.'}</p>
      ) : (
        <p className="muted">{ingest.reason}</p>
      )}

      {health.hints.length > 0 && (
        <ul className={styles.hints} aria-label="Things to check">
          {health.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function IngestTable({ details }: { details: IngestDetails }) {
  const fps =
    details.measuredFps !== null
      ? `${formatNumber(details.measuredFps)} fps${details.declaredFps !== null ? ` (OBS set to ${formatNumber(details.declaredFps)})` : ''}`
      : details.declaredFps !== null
        ? `${formatNumber(details.declaredFps)} fps (declared)`
        : 'unknown';
  const rows: Array<[string, string]> = [
    ['Video', [codecName(details.videoCodec), details.width && details.height ? `${details.width}×${details.height}` : null].filter(Boolean).join(' · ') || 'none'],
    ['Frame rate', fps],
    ['Bitrate', details.bitrateKbps !== null ? `${Math.round(details.bitrateKbps).toLocaleString('en-US')} kbps` : 'unknown'],
    ['Audio', codecName(details.audioCodec) ?? 'none'],
    ['Encoder', details.encoder ?? 'unknown'],
  ];
  return (
    <dl className={styles.ingest} data-testid="live-panel-ingest">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function codecName(codec: string | null): string | null {
  if (codec === null) return null;
  return ({ h264: 'H.264', h265: 'H.265 (HEVC)', av1: 'AV1', aac: 'AAC' } as Record<string, string>)[codec] ?? codec.toUpperCase();
}

/** `30`, `29.97` -> `30`, `30.6`: one decimal is all a frame rate needs at a glance. */
const frameRate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, useGrouping: false });
const formatNumber = (n: number): string => frameRate.format(n);
