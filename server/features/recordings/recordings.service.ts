/**
 * Call recordings: stored by the switch against a CDR's call id (idempotent, replaceable), and read back for the
 * portal in chunks so a long recording or a seek never loads the whole value into memory.
 */
import crypto from 'node:crypto';
import type { Deps } from '../../context.ts';
import { type Tx, withTenant } from '../../db/db.ts';
import { HttpError } from '../../lib/errors.ts';
import { audioExtension } from './audio.ts';

/** Bytes read per statement while streaming a recording. */
export const READ_CHUNK = 1024 * 1024;

export interface RecordingInfo {
  callId: string;
  companyId: string;
  contentType: string;
  size: number;
  sha256: string;
  startTime: Date;
  updatedAt: Date;
}

export interface StoredRecording {
  call_id: string;
  content_type: string;
  size: number;
  sha256: string;
  /** The CDR's recording reference after the upload (set to this recording's path when it had none). */
  recording: string;
  /** created: first upload; replaced: new bytes for the call; unchanged: the same bytes again. */
  status: 'created' | 'replaced' | 'unchanged';
}

/** The portal URL that plays a CDR's stored recording. */
export const recordingUrl = (callId: string) => `/api/v1/portal/recordings/${encodeURIComponent(callId)}`;

/** The reference written on a CDR that had none: a date folder and the call id, as a switch lays files out. */
export function recordingReference(callId: string, startTime: Date, contentType: string): string {
  const day = startTime.toISOString().slice(0, 10).replaceAll('-', '/');
  return `recordings/${day}/${callId}.${audioExtension(contentType)}`;
}

const toBuffer = (v: unknown): Buffer =>
  Buffer.isBuffer(v)
    ? v
    : Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength);

/** The CDR a call id names (start time, company, reference), or null. */
export async function findCdr(
  tx: Tx,
  callId: string,
): Promise<{ start_time: Date; company_id: string; recording: string | null } | null> {
  const [r] = await tx.query<{ start_time: Date; company_id: string; recording: string | null }>(
    `SELECT c.start_time, c.company_id::text AS company_id, c.recording
       FROM cdr_ids i JOIN cdrs c ON c.operator_id = i.operator_id AND c.start_time = i.start_time AND c.call_id = i.call_id
      WHERE i.call_id = $1`,
    [callId],
  );
  return r ?? null;
}

export const unknownCall = () =>
  new HttpError(404, 'unknown_call', 'No CDR has this call id; ingest the CDR before its recording');

/**
 * Stores the audio of a call in one transaction: inserts it, replaces different bytes, leaves the same bytes
 * alone, and gives the CDR a recording reference when it has none.
 */
export async function storeRecording(
  deps: Deps,
  operatorId: string,
  callId: string,
  contentType: string,
  data: Buffer,
): Promise<StoredRecording> {
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  return withTenant(deps.db, operatorId, async (tx) => {
    const cdr = await findCdr(tx, callId);
    if (!cdr) throw unknownCall();
    const [row] = await tx.query<{ inserted: boolean }>(
      `INSERT INTO call_recordings (operator_id, call_id, company_id, start_time, content_type, size, sha256, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (operator_id, call_id) DO UPDATE
          SET content_type = EXCLUDED.content_type, size = EXCLUDED.size, sha256 = EXCLUDED.sha256,
              data = EXCLUDED.data, updated_at = now()
        WHERE call_recordings.sha256 <> EXCLUDED.sha256 OR call_recordings.content_type <> EXCLUDED.content_type
       RETURNING (xmax = 0) AS inserted`,
      [operatorId, callId, cdr.company_id, cdr.start_time, contentType, data.length, sha256, data],
    );
    let recording = cdr.recording;
    if (!recording) {
      recording = recordingReference(callId, cdr.start_time, contentType);
      await tx.query(
        `UPDATE cdrs SET recording = $4
          WHERE company_id = $1 AND start_time = $2 AND call_id = $3 AND (recording IS NULL OR recording = '')`,
        [cdr.company_id, cdr.start_time, callId, recording],
      );
    }
    return {
      call_id: callId,
      content_type: contentType,
      size: data.length,
      sha256,
      recording,
      status: !row ? 'unchanged' : row.inserted ? 'created' : 'replaced',
    };
  });
}

/** A company's recording of a call (without its bytes), or null. */
export async function findRecording(
  tx: Tx,
  callId: string,
  companyId: string,
): Promise<RecordingInfo | null> {
  const [r] = await tx.query<{
    content_type: string;
    size: number;
    sha256: string;
    start_time: Date;
    updated_at: Date;
  }>(
    `SELECT content_type, size, sha256, start_time, updated_at FROM call_recordings
      WHERE call_id = $1 AND company_id = $2`,
    [callId, companyId],
  );
  if (!r) return null;
  return {
    callId,
    companyId,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    startTime: r.start_time,
    updatedAt: r.updated_at,
  };
}

/**
 * Bytes start..end (inclusive) of a recording, one short statement per chunk. Every chunk is read from the same
 * version (by its sha256): if the recording is replaced mid-stream, the stream fails rather than mixing files.
 */
export async function* recordingBytes(
  deps: Deps,
  operatorId: string,
  rec: RecordingInfo,
  start: number,
  end: number,
  chunk = READ_CHUNK,
): AsyncGenerator<Buffer> {
  for (let at = start; at <= end; at += chunk) {
    const len = Math.min(chunk, end - at + 1);
    const [r] = await withTenant(deps.db, operatorId, (tx) =>
      tx.query<{ part: unknown }>(
        `SELECT substring(data FROM $4::int FOR $5::int) AS part FROM call_recordings
          WHERE call_id = $1 AND company_id = $2 AND sha256 = $3`,
        [rec.callId, rec.companyId, rec.sha256, at + 1, len],
      ),
    );
    if (!r) throw new Error('the recording changed while it was being sent');
    yield toBuffer(r.part);
  }
}
