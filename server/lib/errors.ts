/** Errors with an HTTP status and a stable code; the error handler turns them into JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, extra?: Record<string, unknown>) =>
  new HttpError(400, code, message, extra);
export const notFound = (what = 'Resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new HttpError(409, code, message, extra);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in first');
export const forbidden = (code: string, message: string, extra?: Record<string, unknown>) =>
  new HttpError(403, code, message, extra);
