'use client';
// The channel page's Share control: page link, embed code and the RTMP play URL (VLC, ffplay,
// an OBS Media Source), each with a copy button. Closed until asked for.
import { CopyButton } from '@/app/_components/copy-button';
import type { ShareLinks } from '@/lib/channels/share-links';
import styles from './share-control.module.css';

export function ShareControl({ links }: { links: Pick<ShareLinks, 'pageUrl' | 'embedCode' | 'rtmpPlayUrl'> }) {
  return (
    <details className={styles.share} data-testid="share">
      <summary className="button button-small">Share</summary>
      <div className={styles.panel}>
        <ShareRow id="share-link" label="Link to this channel" value={links.pageUrl} copyLabel="Copy link" />
        <ShareRow id="share-embed" label="Embed on your site" value={links.embedCode} copyLabel="Copy embed code" />
        <ShareRow
          id="share-rtmp"
          label="Watch in VLC or another player (Media → Open Network Stream)"
          value={links.rtmpPlayUrl}
          copyLabel="Copy RTMP URL"
        />
      </div>
    </details>
  );
}

function ShareRow({ id, label, value, copyLabel }: { id: string; label: string; value: string; copyLabel: string }) {
  return (
    <div className={styles.row}>
      <p id={id} className={styles.label}>
        {label}
      </p>
      <div className="secret-row">
        <code aria-labelledby={id} data-testid={id}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </div>
    </div>
  );
}
