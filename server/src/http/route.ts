// A route is declared once: its zod schemas validate requests at run time, type the handler,
// and generate the OpenAPI document. Handlers stay thin: take validated input, call one service
// method, return the body.
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { authorize } from './auth.ts';
import type { Actor, Permission, TokenVerifier } from './auth.ts';
import { AppError, errorCodes, ValidationError } from '../lib/errors.ts';
import type { ErrorDetail } from '../lib/errors.ts';
import { textProblem, unstorableValue } from '../lib/storable-text.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
const none = z.object({});

export type RouteInput<P extends Schema, Q extends Schema, B extends Schema> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** The raw body when it arrived as CSV (then `body` is undefined). */
  text: string | undefined;
  /** Undefined only on public routes. */
  actor: Actor;
  req: Request;
  res: Response;
};

export type RouteSpec<P extends Schema, Q extends Schema, B extends Schema, R extends Schema> = {
  method: Method;
  /** Express syntax: `/api/v1/sites/:key`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** Body parsers to accept; JSON by default. CSV arrives as a string. */
  accepts?: ('json' | 'csv')[];
  bodyLimit?: string;
  status?: number;
  response?: R;
  /** Error statuses worth documenting beyond the defaults. */
  errors?: number[];
  /**
   * A batch whose items the service judges one by one, refusing a bad item alone: the door's
   * check for unstorable text then leaves the body to the items' own schemas, which must refuse
   * it, so that one bad item cannot take the whole batch down.
   */
  itemsJudgedAlone?: boolean;
  /** Returns the body; a handler that writes `res` itself (streams, 304s) returns nothing. */
  handler(input: RouteInput<P, Q, B>): Promise<z.input<R> | void>;
};

export type Route = RouteSpec<Schema, Schema, Schema, Schema>;

export function route<
  P extends Schema = typeof none,
  Q extends Schema = typeof none,
  B extends Schema = typeof none,
  R extends Schema = z.ZodVoid,
>(spec: RouteSpec<P, Q, B, R>): Route {
  return spec as unknown as Route;
}

export function mountRoutes(router: Router, routes: Route[], verify: TokenVerifier): void {
  for (const spec of routes) {
    router[spec.method](spec.path, authenticate(spec, verify), ...bodyParsers(spec), handle(spec));
  }
}

/**
 * Runs before any body parser: a request without the right token gets its 401/403 before its
 * body is read, inflated or parsed (the bulk import accepts 64 MB).
 */
function authenticate(spec: Route, verify: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    res.locals.actor = await authorize({
      header: req.headers.authorization,
      need: spec.permission,
      verify,
    });
    next();
  };
}

function handle(spec: Route): RequestHandler {
  return async (req, res) => {
    const input = {
      params: parse('params', spec.params ?? none, req.params),
      query: parse('query', spec.query ?? none, req.query),
      body:
        spec.body && typeof req.body !== 'string'
          ? parse('body', spec.body, req.body, !spec.itemsJudgedAlone)
          : undefined,
      text: typeof req.body === 'string' ? storableText(req.body) : undefined,
      actor: res.locals.actor as Actor,
      req,
      res,
    };
    const result = await spec.handler(input);
    if (res.headersSent) return;
    if (result === undefined) res.status(spec.status ?? 204).end();
    else res.status(spec.status ?? 200).json(result);
  };
}

function bodyParsers(spec: Route): RequestHandler[] {
  if (!spec.body) return [];
  const limit = spec.bodyLimit ?? '1mb';
  const accepts = spec.accepts ?? ['json'];
  const parsers: RequestHandler[] = [];
  if (accepts.includes('json')) parsers.push(express.json({ limit }));
  if (accepts.includes('csv'))
    parsers.push(express.text({ limit, type: ['text/csv', 'text/plain'] }));
  parsers.push((req, _res, next) => {
    if (req.body === undefined) {
      const types = accepts
        .map((a) => (a === 'json' ? 'application/json' : 'text/csv'))
        .join(' or ');
      throw new AppError({
        status: 415,
        code: 'unsupported_media_type',
        message: `send the body as ${types} (got ${req.headers['content-type'] ?? 'no Content-Type'})`,
      });
    }
    next();
  });
  return parsers;
}

function parse(
  where: 'params' | 'query' | 'body',
  schema: Schema,
  value: unknown,
  checkText = true,
) {
  const problem = checkText ? unstorableValue(value) : undefined;
  if (problem) {
    const path = [where, ...problem.path].join('.');
    throw new ValidationError(`${path}: ${problem.message}`, [{ path, message: problem.message }]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw validationError(where, result.error);
}

/** A text body (CSV) is refused whole, naming the line, if PostgreSQL could not store it. */
function storableText(text: string): string {
  const problem = textProblem(text);
  if (!problem) return text;
  const line = text.slice(0, problem.index).split('\n').length;
  throw new ValidationError(`body: line ${line} ${problem.message}`, [
    { path: 'body', line, message: problem.message },
  ]);
}

export function validationError(where: string, error: z.ZodError): ValidationError {
  const details: ErrorDetail[] = error.issues.flatMap((issue) => {
    const at = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${at}.${key}`, message: `unknown field '${key}'` }));
    }
    return [{ path: at, message: issue.message }];
  });
  const first = details[0]!;
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem(s))` : '';
  return new ValidationError(`${first.path}: ${first.message}${more}`, details);
}

const defaultErrors: Record<number, string> = {
  400: 'Invalid input; `details` names each field and problem',
  401: 'Missing or unknown token',
  403: 'The token lacks the role this action needs',
  413: 'The body is larger than this endpoint accepts',
  415: 'The body is not in a Content-Type (or Content-Encoding) this endpoint accepts',
};

export function documentRoutes(registry: OpenAPIRegistry, routes: Route[]): void {
  for (const spec of routes) {
    const responses: RouteConfig['responses'] = {
      [spec.status ?? (spec.response ? 200 : 204)]: {
        description: 'Success',
        ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
      },
    };
    const statuses = [
      ...(spec.permission === 'public' ? [] : [401, 403]),
      400,
      ...(spec.body ? [413, 415] : []),
      ...(spec.errors ?? []),
    ];
    for (const status of statuses) {
      responses[status] = {
        description: defaultErrors[status] ?? 'Error',
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    const bodyContent: Record<string, { schema: Schema }> = {};
    for (const kind of spec.body ? (spec.accepts ?? ['json']) : []) {
      bodyContent[kind === 'json' ? 'application/json' : 'text/csv'] = {
        schema: kind === 'json' ? spec.body! : z.string(),
      };
    }
    registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      tags: [spec.tag],
      summary: spec.summary,
      description: spec.description,
      security: spec.permission === 'public' ? [] : [{ bearer: [] }],
      request: {
        params: spec.params as z.ZodObject | undefined,
        query: spec.query as z.ZodObject | undefined,
        ...(spec.body ? { body: { content: bodyContent, required: true } } : {}),
      },
      responses,
    });
  }
}

export const errorSchema = z
  .object({
    code: z.enum(errorCodes).describe('stable: branch on this, not on the message'),
    message: z.string().describe('what was wrong and what to do about it'),
    details: z.array(
      z.object({ path: z.string().optional(), line: z.number().optional(), message: z.string() }),
    ),
  })
  .meta({ id: 'Error' });
