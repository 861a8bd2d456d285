// Dashboard: recording on/off and per-channel retention, the low-disk notice, and the streamer's
// own past broadcasts (rename, visibility, delete).
import { formatDuration } from '@/app/_components/live/format';
import styles from '@/app/_components/broadcasts/broadcasts.module.css';
import type { OwnBroadcast } from '@/lib/recordings/manage';
import { BroadcastRow, RecordingSettingsForm } from './broadcast-forms';

interface Props {
  slug: string;
  broadcasts: OwnBroadcast[];
  recordBroadcasts: boolean;
  recordingsMaxAgeDays: number | null;
  recordingsMaxGb: number | null;
  lowDiskAt: Date | null;
  recordingAvailable: boolean;
}

export function BroadcastsPanel(props: Props) {
  return (
    <section className="panel" aria-labelledby="broadcasts-heading">
      <h2 id="broadcasts-heading">Past broadcasts</h2>
      {!props.recordingAvailable && <p className="muted">This server keeps no recordings (RECORD_DIR is not set).</p>}
      {props.lowDiskAt && (
        <p className="form-message is-error" role="alert">
          The server&apos;s disk is nearly full: recording stopped on {props.lowDiskAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Your
          stream kept going. Delete old broadcasts or ask the admin for space.
        </p>
      )}
      <RecordingSettingsForm
        recordBroadcasts={props.recordBroadcasts}
        maxAgeDays={props.recordingsMaxAgeDays === null ? '' : String(props.recordingsMaxAgeDays)}
        maxGb={props.recordingsMaxGb === null ? '' : String(props.recordingsMaxGb)}
      />
      {props.broadcasts.length === 0 ? (
        <p className="muted">No past broadcasts yet.</p>
      ) : (
        <table className={styles.table} aria-label="Your past broadcasts">
          <thead>
            <tr>
              <th>Broadcast</th>
              <th>Started</th>
              <th>Length</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {props.broadcasts.map((b) => (
              <tr key={b.id} data-broadcast-id={b.id}>
                <td>
                  <a href={`/${props.slug}/videos/${b.id}`}>Watch</a>
                  <BroadcastRow id={b.id} title={b.title} visibility={b.visibility} />
                </td>
                <td>{b.startedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
                <td>{formatDuration(b.durationMs)}</td>
                <td>{(b.sizeBytes / 1024 ** 2).toFixed(1)} MB</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
