import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, NotFoundError } from './errors.ts';

/** body-parser's errors carry a `type`; they are the client's fault, not ours. */
type ParserError = Error & { type?: string; status?: number; limit?: number };

function fromParser(err: ParserError): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError({
        status: 400,
        code: 'invalid_json',
        message: `body: malformed JSON (${err.message})`,
        details: [{ path: 'body', message: err.message }],
      });
    case 'entity.too.large':
      return new AppError({
        status: 413,
        code: 'payload_too_large',
        message: `body: larger than the ${err.limit} bytes this endpoint accepts`,
        details: [{ path: 'body', message: 'too large' }],
      });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError({ status: 415, code: 'unsupported_media_type', message: err.message });
    default:
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = err instanceof AppError ? err : fromParser(err as ParserError);
    if (!known) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      res
        .status(500)
        .json({ code: 'internal', message: 'internal error; see the server log', details: [] });
      return;
    }
    if (known.status >= 500) logger.error({ err: known }, known.message);
    res.set(known.headers);
    res
      .status(known.status)
      .json({ code: known.code, message: known.message, details: known.details });
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFoundError(`no route ${req.method} ${req.path}`);
};
