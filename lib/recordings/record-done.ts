// POST /api/rtmp/on-record-done (CONTRACT-15 item 3): nginx-rtmp's record_done form, from nginx-rtmp
// itself (path = a finished FLV in RECORD_PATH) or from the bundled media server (path = the
// index.m3u8 of a finished folder in RECORD_DIR, plus onair_broadcast and onair_reason).
// Same `?secret=` check and bounded body as the other callbacks. 2xx = registered or deliberately
// dropped (the media server then stops retrying); 4xx = this request can never succeed; 5xx = retry.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { errorMessage, type Logger } from '../logger';
import { readBoundedBody } from '../read-bounded-body';
import { verifyCallbackSecret } from '../rtmp-callbacks/callback-secret';
import { allowAnswer, denyAnswer, type CallbackAnswer } from '../rtmp-callbacks/respond';
import { MAX_CALLBACK_BODY_BYTES, MAX_FIELD_LENGTH, MAX_FIELDS } from '../rtmp-callbacks/types';
import { resolveRecordedFlv, resolveRecordedPlaylist } from './callback-path';
import { freeBytes, gbToBytes } from './disk';
import { remuxFlvToHls } from './ffmpeg';
import { folderOf, NGINX_RECORD_APP, type RecordingRef } from './layout';
import { registerRecording, type RegisterResult } from './register';

export interface RecordDoneContext {
  db: Db;
  clock: Clock;
  logger: Logger;
  callbackSecret: string | undefined;
  /** Where recordings live; unset = this web app keeps no recordings. */
  recordDir: string | undefined;
  /** nginx-rtmp's record_path (FLVs); default recordDir. */
  recordPath: string | undefined;
  /** RECORDINGS_MIN_FREE_GB: an FLV is not remuxed when that would leave less free (0 = no check). */
  minFreeGb?: number;
  /** Free bytes of a folder (statfs), injectable for tests. */
  freeBytes?: (dir: string) => Promise<number>;
  /** Runs after each registration (retention). */
  afterRegister?: () => Promise<void>;
}

export interface RecordDoneForm {
  call: string;
  app: string;
  name: string;
  path: string;
  reason: string;
  /** The bundled media server's broadcast id (`onair_broadcast`); empty from nginx-rtmp. */
  broadcast: string;
}

/** nginx-rtmp writes its own fields first; a later duplicate (a publish URL argument) never wins. */
export function parseRecordDoneForm(body: string): RecordDoneForm | null {
  const fields = new Map<string, string>();
  let count = 0;
  for (const [key, value] of new URLSearchParams(body)) {
    if (++count > MAX_FIELDS || key.length > MAX_FIELD_LENGTH || value.length > MAX_FIELD_LENGTH) return null;
    if (!fields.has(key)) fields.set(key, value);
  }
  const call = fields.get('call');
  const path = fields.get('path');
  if (call === undefined || path === undefined) return null;
  return {
    call,
    app: fields.get('app') ?? '',
    name: fields.get('name') ?? '',
    path,
    reason: fields.get('onair_reason') ?? '',
    broadcast: fields.get('onair_broadcast') ?? '',
  };
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
const answer = (status: number, body: string): CallbackAnswer => ({ status, headers: TEXT, body: `${body}\n` });

/** One FLV or folder is handled by one request at a time; a concurrent duplicate waits for it. */
const inFlight = new Map<string, Promise<CallbackAnswer>>();

export async function handleRecordDone(request: Request, context: RecordDoneContext): Promise<CallbackAnswer> {
  const secret = new URL(request.url).searchParams.get('secret');
  if (!context.callbackSecret) return denyAnswer('callback secret not configured on the server');
  if (!verifyCallbackSecret(secret, context.callbackSecret)) {
    context.logger.warn('callback_refused', { reason: secret === null ? 'missing secret' : 'wrong secret' });
    return denyAnswer('bad callback secret');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  const body = declared > MAX_CALLBACK_BODY_BYTES ? null : await readBoundedBody(request.body, MAX_CALLBACK_BODY_BYTES);
  const form = body === null ? null : parseRecordDoneForm(body);
  if (!form || form.call !== 'record_done') return answer(400, 'malformed record_done callback');
  if (!context.recordDir) {
    context.logger.warn('record_done_ignored', { reason: 'RECORD_DIR is not configured' });
    return answer(200, 'recordings are off on this server');
  }

  const key = form.path;
  const running = inFlight.get(key);
  if (running) return running;
  const job = register(context, context.recordDir, form).finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}

async function register(context: RecordDoneContext, recordDir: string, form: RecordDoneForm): Promise<CallbackAnswer> {
  if (form.reason === 'disk-low') await noteLowDisk(context, form.name);
  const result = form.path.endsWith('.flv') ? await registerFlv(context, recordDir, form.path) : await registerFolder(context, recordDir, form);
  if (result === null) {
    context.logger.warn('record_done_refused', { reason: 'path outside the recordings folder or not of its layout', app: form.app.slice(0, 64) });
    return answer(400, 'path is not a recording of this server');
  }
  if (result.outcome === 'registered') {
    await context.afterRegister?.().catch((error: unknown) => context.logger.error('retention_failed', { error: errorMessage(error) }));
  }
  return result.outcome === 'dropped' ? answer(200, `dropped (${result.reason})`) : allowAnswer();
}

async function registerFolder(context: RecordDoneContext, recordDir: string, form: RecordDoneForm): Promise<RegisterResult | null> {
  const file = await resolveRecordedPlaylist(recordDir, form.path);
  if (!file || file.kind !== 'playlist') return null;
  // The form's own fields must describe the same folder as its path (CONTRACT-15 items 2 and 3).
  const { app, name, recordingId } = file.ref;
  if (form.app !== app || form.name !== name || (form.broadcast !== '' && form.broadcast !== recordingId)) return null;
  return registerRecording(context, file.ref, file.folder);
}

/**
 * nginx-rtmp mode: the FLV becomes `<RECORD_DIR>/onair_hls/<slug>/<id>/` (fMP4 HLS, stream copy),
 * then the FLV goes. The id comes from the file name, so announcing the same FLV again (after it
 * was remuxed and deleted) finds the registered broadcast instead of failing.
 */
async function registerFlv(context: RecordDoneContext, recordDir: string, path: string): Promise<RegisterResult | null> {
  const recordPath = context.recordPath ?? recordDir;
  const flv = await resolveRecordedFlv(recordPath, path);
  if (!flv || flv.kind !== 'flv') return alreadyRemuxed(context, path);
  const ref: RecordingRef = { app: NGINX_RECORD_APP, name: flv.name, recordingId: recordingIdOf(basename(flv.file), flv.unique) };
  const existing = await context.db.broadcast.findUnique({ where: { folder: folderOf(ref) } });
  if (existing) {
    await rm(flv.file, { force: true });
    return { outcome: 'already-registered', broadcast: existing };
  }
  const channel = await context.db.channel.findUnique({ where: { slug: flv.name }, select: { recordBroadcasts: true } });
  if (!channel?.recordBroadcasts) {
    await rm(flv.file, { force: true });
    return { outcome: 'dropped', reason: channel ? 'recording-off' : 'unknown-channel' };
  }

  // nginx records whatever the disk holds; the remux needs about the FLV's size again.
  const minFreeBytes = gbToBytes(context.minFreeGb ?? 0);
  if (minFreeBytes > 0 && (await (context.freeBytes ?? freeBytes)(recordDir)) < (await stat(flv.file)).size + minFreeBytes) {
    await rm(flv.file, { force: true });
    await noteLowDisk(context, flv.name);
    context.logger.warn('recording_dropped_low_disk', { slug: flv.name });
    return { outcome: 'dropped', reason: 'disk-low' };
  }

  const target = join(recordDir, folderOf(ref));
  const partial = `${target}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await remuxFlvToHls(flv.file, partial);
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  const startedAt = flv.unique !== null ? new Date(Number(flv.unique) * 1000) : undefined;
  const result = await registerRecording(context, ref, target, startedAt);
  await rm(flv.file, { force: true });
  return result;
}

/** The FLV is gone: fine when it was already turned into a broadcast (a repeated announcement). */
async function alreadyRemuxed(context: RecordDoneContext, path: string): Promise<RegisterResult | null> {
  const match = /^([a-z0-9_]{1,64})(?:-([0-9]{1,20}))?\.flv$/.exec(basename(path));
  if (!match?.[1]) return null;
  const ref = { app: NGINX_RECORD_APP, name: match[1], recordingId: recordingIdOf(basename(path), match[2] ?? null) };
  const existing = await context.db.broadcast.findUnique({ where: { folder: folderOf(ref) } });
  return existing ? { outcome: 'already-registered', broadcast: existing } : null;
}

/** Time-sortable like the bundled recorder's ids: base36 of the start in ms when nginx-rtmp gave it. */
export function recordingIdOf(fileName: string, unique: string | null): string {
  if (unique !== null && Number.isSafeInteger(Number(unique))) return (Number(unique) * 1000).toString(36).padStart(8, '0');
  return createHash('sha256').update(fileName).digest('hex').slice(0, 16);
}

async function noteLowDisk(context: RecordDoneContext, name: string): Promise<void> {
  await context.db.channel.updateMany({ where: { slug: name.slice(0, 64) }, data: { recordingLowDiskAt: new Date(context.clock.now()) } });
}
