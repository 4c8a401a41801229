import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, NotFoundError } from './errors.ts';
import type { ErrorCode } from './errors.ts';

/**
 * What express, its router, body-parser, raw-body, send and zlib throw: http-errors style, with a
 * `status` (or `statusCode`) and, from body-parser and raw-body, a `type`.
 */
type FrameworkError = Error & {
  status?: unknown;
  statusCode?: unknown;
  type?: string;
  limit?: number;
  charset?: string;
  encoding?: string;
  expected?: number;
  received?: number;
};

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function bodyError(status: number, code: ErrorCode, message: string): AppError {
  return new AppError({ status, code, message, details: [{ path: 'body', message }] });
}

/**
 * A framework error with a 4xx status is the client's fault: answer it with a stable code and a
 * sentence saying what was wrong. Anything else (no status, or 5xx) stays unknown.
 */
function fromFramework(err: FrameworkError, req: Request): AppError | undefined {
  const status = typeof err.status === 'number' ? err.status : err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (err.type) {
    case 'entity.parse.failed':
      return bodyError(400, 'invalid_json', `body: malformed JSON (${err.message})`);
    case 'entity.too.large':
      return bodyError(
        413,
        'payload_too_large',
        `body: larger than the ${err.limit} bytes this endpoint accepts`,
      );
    case 'charset.unsupported':
      return bodyError(
        415,
        'unsupported_media_type',
        `body: charset "${err.charset}" is not supported; send UTF-8`,
      );
    case 'encoding.unsupported':
      return bodyError(
        415,
        'unsupported_media_type',
        `body: Content-Encoding "${err.encoding}" is not supported; send gzip, deflate, br, zstd or none`,
      );
    case 'request.aborted':
      return bodyError(400, 'invalid_body', 'body: the request ended before its body was complete');
    case 'request.size.invalid':
      return bodyError(
        400,
        'invalid_body',
        `body: ${err.received} bytes arrived but Content-Length announced ${err.expected}`,
      );
  }
  if (err instanceof URIError) {
    return new AppError({
      status: 400,
      code: 'malformed_url',
      message: `path: ${req.path} has a "%" that is not followed by two hex digits of valid UTF-8; encode "%" as %25`,
      details: [{ path: 'path', message: 'malformed percent-encoding' }],
    });
  }
  const encoding = req.headers['content-encoding'];
  if (status === 400 && !err.type && encoding && encoding !== 'identity') {
    // zlib failed on the body body-parser was inflating.
    return bodyError(400, 'invalid_body', `body: not valid ${encoding} data (${err.message})`);
  }
  if (status === 404) return new NotFoundError(`nothing at ${req.method} ${req.path}`);
  return new AppError({
    status,
    code: codeByStatus[status] ?? 'bad_request',
    message: `${STATUS_CODES[status] ?? 'Bad request'}: ${err.message}`,
  });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known =
      err instanceof AppError ? err : fromFramework(err as FrameworkError, req as Request);
    if (!known) logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    else if (known.status >= 500) logger.error({ err: known }, known.message);
    // A response already under way cannot become an error body: cut it so the client sees it fail.
    if (res.headersSent) return void res.destroy();
    if (!known) {
      res
        .status(500)
        .json({ code: 'internal', message: 'internal error; see the server log', details: [] });
      return;
    }
    res.set(known.headers);
    res
      .status(known.status)
      .json({ code: known.code, message: known.message, details: known.details });
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFoundError(`no route ${req.method} ${req.path}`);
};
