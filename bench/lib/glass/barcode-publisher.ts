// The glass-to-glass publisher: this process renders 30 frames/s, each carrying its own capture
// time (epoch ms, taken just before the frame is handed to the encoder) as a barcode, and pipes
// them into ffmpeg, which encodes live (x264 ultrafast, zerolatency) and publishes over RTMP.
// Capture -> display therefore includes encoding, RTMP, the server, HTTP and the player.
import { startProcess, type ManagedProcess } from '../../../media-server/test/helpers/process.js';
import { trackPid, untrackPid } from '../cleanup.js';
import { epochNow, sleep } from '../time.js';
import { frameHeight, frameWidth, renderBackground, renderFrame } from './barcode.js';

export interface BarcodePublisher {
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export function barcodeEncodeArgs(gopFrames: number, url: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${frameWidth}x${frameHeight}`, '-r', '30', '-i', 'pipe:0',
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0', '-b:v', '1500k',
    '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2',
    '-f', 'flv', url,
  ];
}

export function startBarcodePublisher(url: string, gopFrames: number): BarcodePublisher {
  const proc = startProcess('ffmpeg', barcodeEncodeArgs(gopFrames, url), { stdio: ['pipe', 'pipe', 'pipe'] });
  trackPid(proc.pid);
  const stdin = proc.child.stdin;
  if (!stdin) throw new Error('ffmpeg without stdin');
  stdin.on('error', () => undefined); // EPIPE when ffmpeg exits first; its exit code tells why
  const background = renderBackground();
  let running = true;
  const loop = (async () => {
    const start = performance.now();
    for (let i = 0; running; i++) {
      // Paced by the wall clock, not by the timer: frame i is due at start + i/30 s.
      const due = start + (i * 1000) / 30;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (!running) break;
      stdin.write(renderFrame(i, epochNow(), background));
    }
  })();
  return {
    process: proc,
    async stop() {
      running = false;
      await loop;
      stdin.end();
      await proc.stop(3_000);
      untrackPid(proc.pid);
    },
  };
}
