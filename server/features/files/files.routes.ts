/** /api/v1/console/files: the operator's public files (logos), checked from their bytes. */
import type { FastifyInstance } from 'fastify';
import { imageSize } from 'image-size';
import type { Deps } from '../../context.ts';
import { withTenant } from '../../db/db.ts';
import { audit } from '../../lib/audit.ts';
import { badRequest } from '../../lib/errors.ts';
import { consoleCtx } from '../../plugins/scopes.ts';

export const MAX_LOGO_BYTES = 512 * 1024;
export const MAX_LOGO_WIDTH = 350;
const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };

const present = (r: Record<string, unknown>) => ({
  id: String(r.id),
  url: `/api/v1/console/files/${r.id}`,
  filename: String(r.filename),
  content_type: String(r.content_type),
  width: Number(r.width),
  height: Number(r.height),
  size: Number(r.size),
  created_at: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
});

/** Reads the image type and size from the bytes; refuses anything but jpg/png/gif at most 350 px wide. */
export function inspectLogo(data: Buffer): { contentType: string; width: number; height: number } {
  let info: { type?: string; width?: number; height?: number };
  try {
    info = imageSize(data);
  } catch {
    throw badRequest('invalid_image', 'The file is not a JPG, PNG or GIF image', { field: 'file' });
  }
  const contentType = info.type ? TYPES[info.type] : undefined;
  if (!contentType || !info.width || !info.height) {
    throw badRequest('invalid_image', 'The file is not a JPG, PNG or GIF image', { field: 'file' });
  }
  if (info.width > MAX_LOGO_WIDTH) {
    throw badRequest(
      'image_too_wide',
      `The image is ${info.width} px wide; logos can be at most ${MAX_LOGO_WIDTH} px wide`,
      { field: 'file' },
    );
  }
  return { contentType, width: info.width, height: info.height };
}

export async function registerFileRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post(
    '/files',
    { schema: { summary: 'Upload a public file (logo): multipart field "file"' } },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      if (!req.isMultipart())
        throw badRequest('invalid_request', 'Send the file as multipart/form-data in the field "file"');
      const part = await req.file();
      if (!part) throw badRequest('invalid_request', 'No file was sent', { field: 'file' });
      const data = await part.toBuffer().catch((e: { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') {
          throw badRequest('file_too_large', `The file is larger than ${MAX_LOGO_BYTES / 1024} KB`, {
            field: 'file',
          });
        }
        throw e;
      });
      const img = inspectLogo(data);
      const filename = (part.filename || 'logo').slice(0, 255);
      const row = await withTenant(deps.db, ctx.operatorId, async (tx) => {
        const [r] = await tx.query(
          `INSERT INTO public_files (operator_id, filename, content_type, size, width, height, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, filename, content_type, size, width, height, created_at`,
          [ctx.operatorId, filename, img.contentType, data.length, img.width, img.height, data],
        );
        await audit(tx, ctx.operatorId, ctx.actor, {
          action: 'file.upload',
          entityType: 'file',
          entityId: String(r!.id),
          after: { filename, size: data.length },
        });
        return r!;
      });
      return reply.status(201).send(present(row));
    },
  );

  app.get('/files', { schema: { summary: 'List public files' } }, async (req) => {
    const ctx = consoleCtx(deps, req);
    const rows = await withTenant(deps.db, ctx.operatorId, (tx) =>
      tx.query(
        'SELECT id, filename, content_type, size, width, height, created_at FROM public_files ORDER BY created_at DESC LIMIT 200',
      ),
    );
    return { items: rows.map(present) };
  });

  app.get<{ Params: { id: string } }>(
    '/files/:id',
    {
      schema: {
        summary: 'Download a public file',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      },
    },
    async (req, reply) => {
      const ctx = consoleCtx(deps, req);
      const rows = await withTenant(deps.db, ctx.operatorId, (tx) =>
        tx.query<{ content_type: string; data: Uint8Array }>(
          'SELECT content_type, data FROM public_files WHERE id = $1',
          [req.params.id],
        ),
      );
      if (!rows[0]) return reply.status(404).send({ error: 'not_found', message: 'File not found' });
      return reply
        .type(rows[0].content_type)
        .header('cache-control', 'private, max-age=300')
        .send(Buffer.from(rows[0].data));
    },
  );
}
