// Typed errors carry their HTTP status and a stable code; one handler turns them into
// `{code, message, details}`. Messages say what was wrong and what to do about it.

export type ErrorDetail = { path?: string; line?: number; message: string };

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(options: {
    status: number;
    code: string;
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
  constructor(message: string, details: ErrorDetail[] = [], code = 'conflict') {
    super({ status: 409, code, message, details });
  }
}

/** A request that names a version the fleet cannot be pinned to. */
export class VersionRejectedError extends AppError {
  constructor(message: string, path = 'version') {
    super({ status: 422, code: 'version_rejected', message, details: [{ path, message }] });
  }
}
