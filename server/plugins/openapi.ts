/** GET /api/openapi.json: the OpenAPI document of the API the requesting host serves. */
import type { FastifyInstance } from 'fastify';

export async function registerOpenApiRoute(app: FastifyInstance): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, async (req) => {
    const doc = app.swagger() as { paths?: Record<string, unknown> };
    const hidden = req.site?.kind === 'console' ? '/api/v1/portal/' : '/api/v1/console/';
    const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([p]) => !p.startsWith(hidden)));
    return { ...doc, paths };
  });
}
