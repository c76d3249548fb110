/**
 * Call recordings. Console: the switch uploads the raw audio of a CDR (`PUT /ingest/recordings/:callId`, operator
 * API token). Portal: a contact with `recording` plays its own company's recordings inline (with Range support for
 * seeking) and, with `download_recording` too, downloads them.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { forbidden, HttpError, notFound } from '../../lib/errors.ts';
import { consoleCtx, contactOf, operatorOf } from '../../plugins/scopes.ts';
import { audioExtension, audioType, checkAudio, MAX_RECORDING_BYTES } from './audio.ts';
import { byteRange } from './byte-range.ts';
import {
  findCdr,
  findRecording,
  type RecordingInfo,
  recordingBytes,
  storeRecording,
  unknownCall,
} from './recordings.service.ts';

type CallParams = { Params: { callId: string } };
const Params = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 200 }) });

const tooLarge = () =>
  new HttpError(
    413,
    'recording_too_large',
    `A recording can be at most ${MAX_RECORDING_BYTES / 1024 / 1024} MB`,
    {
      limit: MAX_RECORDING_BYTES,
    },
  );

/** The raw body, refused as soon as it passes the limit (without reading the rest into memory). */
function readBody(req: FastifyRequest, payload: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_RECORDING_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', reject);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RECORDING_BYTES) {
        stop();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', reject);
  });
}

export async function registerRecordingIngestRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // Its own context, so the raw-body parser applies to this route only.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', readBody);
    scope.put<CallParams>(
      '/ingest/recordings/:callId',
      {
        schema: {
          summary: `Upload the audio of a CDR (raw body; Content-Type ${['audio/wav', 'audio/mpeg', 'audio/ogg', '…'].join(', ')}; at most 50 MB). Idempotent by call id: the same bytes again change nothing, other bytes replace the recording. Sets the CDR's recording reference when it has none`,
          params: Params,
        },
        // Answered before the body is read: an unknown call, a non-audio type or an oversize body costs nothing.
        onRequest: async (req: FastifyRequest<CallParams>) => {
          const operatorId = operatorOf(req).operatorId;
          const cdr = await withTenant(deps.db, operatorId, (tx) => findCdr(tx, req.params.callId));
          if (!cdr) throw unknownCall();
          audioType(req.headers['content-type']);
          if (Number(req.headers['content-length'] ?? 0) > MAX_RECORDING_BYTES) throw tooLarge();
        },
      },
      async (req, reply) => {
        const ctx = consoleCtx(deps, req);
        const type = audioType(req.headers['content-type']);
        const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        checkAudio(type, data);
        const stored = await storeRecording(deps, ctx.operatorId, req.params.callId, type, data);
        return reply.code(stored.status === 'created' ? 201 : 200).send(stored);
      },
    );
  });
}

/** A file name for the recording: the call id (unsafe characters replaced), plus the exact name per RFC 6266. */
function disposition(kind: 'inline' | 'attachment', rec: RecordingInfo): string {
  const name = `call-${rec.callId}.${audioExtension(rec.contentType)}`;
  const plain = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${kind}; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Sends a recording (or the requested byte range of it), streamed in chunks. */
function sendRecording(
  deps: Deps,
  operatorId: string,
  req: FastifyRequest,
  reply: FastifyReply,
  rec: RecordingInfo,
  download: boolean,
) {
  const etag = `"${rec.sha256}"`;
  reply
    .header('Accept-Ranges', 'bytes')
    .header('ETag', etag)
    .header('Last-Modified', rec.updatedAt.toUTCString())
    // Private, and revalidated every time: revoking the feature takes effect at once.
    .header('Cache-Control', 'private, no-cache')
    .header('Content-Disposition', disposition(download ? 'attachment' : 'inline', rec));
  if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
  const ifRange = req.headers['if-range'];
  const range =
    ifRange && ifRange !== etag ? ({ kind: 'full' } as const) : byteRange(req.headers.range, rec.size);
  if (range.kind === 'unsatisfiable') {
    return reply
      .code(416)
      .header('Content-Range', `bytes */${rec.size}`)
      .send({
        error: 'range_not_satisfiable',
        message: `The recording has ${rec.size} bytes`,
        size: rec.size,
      });
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, rec.size - 1];
  reply
    .code(range.kind === 'partial' ? 206 : 200)
    .type(rec.contentType)
    .header('Content-Length', String(end - start + 1));
  if (range.kind === 'partial') reply.header('Content-Range', `bytes ${start}-${end}/${rec.size}`);
  // An empty stream keeps the Content-Length above (Fastify's HEAD handling resets it for an empty body).
  if (req.method === 'HEAD') return reply.send(Readable.from([]));
  return reply.send(Readable.from(recordingBytes(deps, operatorId, rec, start, end)));
}

export async function registerPortalRecordingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<CallParams & { Querystring: { download?: string } }>(
    '/recordings/:callId',
    {
      config: { feature: 'recording' },
      schema: {
        summary:
          'The audio of one of the company’s calls, inline (Range requests supported); download=1 sends it as an attachment and needs download_recording',
        params: Params,
        querystring: Type.Object({
          download: Type.Optional(
            Type.String({ pattern: '^(1|0|true|false)$', description: '1 (or true) for an attachment' }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const c = contactOf(req);
      const download = req.query.download === '1' || req.query.download === 'true';
      if (download && !c.features.includes('download_recording')) {
        throw forbidden('feature_disabled', 'Downloading recordings is not enabled for your account', {
          feature: 'download_recording',
        });
      }
      const rec = await withTenant(deps.db, c.operatorId, (tx) =>
        findRecording(tx, req.params.callId, c.company.id),
      );
      if (!rec) throw notFound('Recording');
      return sendRecording(deps, c.operatorId, req, reply, rec, download);
    },
  );
}
