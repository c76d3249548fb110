/**
 * Request validation: query strings and path parameters are coerced from text (page=2 is a number), bodies are
 * not — a JSON null stays null and 0 stays 0, so "no limit" and "zero" never get mixed up.
 */
import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function build(options: Options) {
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
    ...options,
  });
  addFormats(ajv);
  return ajv;
}

/** Installs the two validators on the app (call before any route is registered). */
export function installValidators(app: FastifyInstance): void {
  const coercing = build({ coerceTypes: 'array' });
  const strict = build({ coerceTypes: false });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}
