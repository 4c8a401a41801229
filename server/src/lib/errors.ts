// Typed errors carry their HTTP status and a stable code; one handler turns them into
// `{code, message, details}`. Messages say what was wrong and what to do about it.

/**
 * Every `code` an error body can carry, in both APIs. Clients branch on these, so they are
 * stable: add codes, never rename one. The OpenAPI `Error` schema lists them as an enum.
 */
export const errorCodes = [
  // the request itself
  'validation_failed',
  'malformed_url',
  'invalid_json',
  'invalid_body',
  'payload_too_large',
  'unsupported_media_type',
  'bad_request',
  // who is asking
  'unauthorized',
  'forbidden',
  // the state of things
  'not_found',
  'conflict',
  'site_exists',
  'site_in_rollout',
  'pin_changed',
  'invalid_state',
  'frozen',
  'confirmation_mismatch',
  'version_rejected',
  'sensors_lagging',
  // the ingestion API
  'idempotency_key_reused',
  'feed_too_large',
  'pins_unavailable',
  'site_unknown',
  'pipeline_missing',
  'auth_unavailable',
  // ours
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export type ErrorDetail = { path?: string; line?: number; message: string };

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(options: {
    status: number;
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    headers?: Record<string, string>;
  }) {
    super(options.message);
    this.name = new.target.name;
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super({ status: 400, code: 'validation_failed', message, details });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or unknown token: send `Authorization: Bearer <token>`') {
    super({
      status: 401,
      code: 'unauthorized',
      message,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super({ status: 403, code: 'forbidden', message });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super({ status: 404, code: 'not_found', message });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: ErrorDetail[] = [], code: ErrorCode = 'conflict') {
    super({ status: 409, code, message, details });
  }
}

/** A request that names a version the fleet cannot be pinned to. */
export class VersionRejectedError extends AppError {
  constructor(message: string, path = 'version') {
    super({ status: 422, code: 'version_rejected', message, details: [{ path, message }] });
  }
}
