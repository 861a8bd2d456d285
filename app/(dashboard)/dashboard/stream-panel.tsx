'use client';
// Stream key + "Stream setup": the key is shown in full only in the response to the action
// that created it; afterwards (reload, navigation) only the masked form is known.
import { useActionState } from 'react';
import { CopyButton } from '@/app/_components/copy-button';
import { FormMessage } from '@/app/_components/form-field';
import { resetStreamKeyAction } from '@/lib/actions/channel';
import type { StreamKeyState } from '@/lib/actions/form-state';
import { streamKeyToPaste } from '@/lib/channels/stream-setup';
import { maskStreamKey } from '@/lib/stream-keys-display';

export interface StreamPanelProps {
  slug: string;
  serverUrl: string;
  mediaServer: 'bundled' | 'nginx-rtmp';
  last4: string | null;
  keyCreatedAt: string | null;
  /** Where players like VLC open the live stream (lib/channels/rtmp-play-url.ts). */
  playUrl: string;
}

export function StreamPanel({ slug, serverUrl, mediaServer, last4, keyCreatedAt, playUrl }: StreamPanelProps) {
  const [state, action, pending] = useActionState<StreamKeyState, FormData>(resetStreamKeyAction, {});
  const newKey = state.key;
  const currentLast4 = state.last4 ?? last4;
  const hasKey = currentLast4 !== null;
  const toPaste = newKey ? streamKeyToPaste(mediaServer, slug, newKey) : hasKey ? streamKeyToPaste(mediaServer, slug, maskStreamKey(currentLast4)) : null;

  return (
    <>
      <section className="panel" aria-labelledby="stream-key-heading">
        <h2 id="stream-key-heading">Stream key</h2>
        {newKey ? (
          <div className="secret-new">
            <p>
              <strong>Copy your stream key now.</strong> It is shown only this once; OnAir stores only a hash of it.
            </p>
            <div className="secret-row">
              <code data-testid="new-stream-key">{newKey}</code>
              <CopyButton value={newKey} label="Copy key" />
            </div>
          </div>
        ) : hasKey ? (
          <div className="secret-row">
            <code data-testid="masked-stream-key">{maskStreamKey(currentLast4)}</code>
            {keyCreatedAt ? <span className="muted">created {new Date(keyCreatedAt).toLocaleString()}</span> : null}
          </div>
        ) : (
          <p className="muted">Your channel has no stream key yet.</p>
        )}
        <form action={action}>
          <FormMessage status={state.status} message={state.message} />
          <button type="submit" className={hasKey ? 'button button-danger' : 'button'} disabled={pending}>
            {pending ? 'Working…' : hasKey ? 'Reset key' : 'Create stream key'}
          </button>
          {hasKey ? <p className="field-hint">Resetting stops the old key at once: a new stream with it is refused.</p> : null}
        </form>
      </section>

      <section className="panel" aria-labelledby="stream-setup-heading">
        <h2 id="stream-setup-heading">Stream setup</h2>
        <p className="muted">In OBS Studio:</p>
        <ol className="obs-steps">
          <li>
            Open <strong>Settings → Stream</strong>.
          </li>
          <li>
            Set <strong>Service</strong> to <strong>Custom…</strong>
          </li>
          <li>
            Paste the <strong>Server</strong> and the <strong>Stream Key</strong> below, then <strong>OK</strong> and <strong>Start Streaming</strong>.
          </li>
        </ol>
        <p>
          <strong>Server</strong>
        </p>
        <div className="secret-row">
          <code data-testid="server-url">{serverUrl}</code>
          <CopyButton value={serverUrl} label="Copy server" />
        </div>
        <p>
          <strong>Stream Key</strong>
          {mediaServer === 'nginx-rtmp' ? <span className="muted"> (for nginx-rtmp: your channel name, then ?key= and the secret key)</span> : null}
        </p>
        {toPaste ? (
          <div className="secret-row">
            <code data-testid="stream-key-to-paste">{toPaste}</code>
            {newKey ? <CopyButton value={toPaste} label="Copy stream key" /> : <span className="muted">Reset the key to see and copy it in full.</span>}
          </div>
        ) : (
          <p className="muted">Create a stream key first.</p>
        )}
        <p>
          <strong>Watch in VLC</strong> <span className="muted">(or ffplay, or an OBS Media Source) while you are live</span>
        </p>
        <div className="secret-row">
          <code data-testid="rtmp-play-url">{playUrl}</code>
          <CopyButton value={playUrl} label="Copy play URL" />
        </div>
      </section>
    </>
  );
}
