import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import { tokenFrom } from '../../lib/bearer-token.ts';
import { AppError, ForbiddenError, UnauthorizedError } from '../../lib/errors.ts';
import { siteFrom } from '../site-param.ts';
import type { Caller, TokenChecker } from './token-checker.ts';

// The control plane's roles, as its OpenAPI document names them: a renamed role fails the typecheck.
type Rule = { roles: Caller['role'][]; needs: string };
const staff: Rule['roles'] = ['viewer', 'operator', 'release', 'admin'];

/** Who may do what on the ingestion API (docs/adr/0013). */
const rules: Record<'post' | 'followImport' | 'read', Rule> = {
  /** Posting feeds is the import jobs' work, and theirs only. */
  post: { roles: ['import'], needs: "an 'import' token" },
  /** An import job follows its imports; staff read them too. */
  followImport: {
    roles: ['import', ...staff],
    needs: "an 'import' token or role 'viewer' or higher",
  },
  /** Catalogs, journal, snapshots, exports, pins: staff. */
  read: { roles: staff, needs: "role 'viewer' or higher" },
};

/**
 * Authenticates every request but the health checks, before any body is read: mounted ahead of
 * the routes, with the same path syntax so it matches exactly what they match. Anything not
 * listed (including unknown paths) needs a staff token.
 */
export function ingestAuth(checker: TokenChecker): Router {
  const router = express.Router();
  router.post('/ingest/v1/sites/:siteId/imports', guard(checker, rules.post, 'siteId'));
  router.get('/ingest/v1/imports/:id', guard(checker, rules.followImport));
  router.use(guard(checker, rules.read));
  return router;
}

/** The caller a guard let through (the first guard that matched decides). */
export const callerOf = (res: express.Response): Caller | undefined => res.locals.ingestCaller;

function guard(checker: TokenChecker, rule: Rule, siteParam?: string): RequestHandler {
  return async (req, res, next) => {
    if (callerOf(res)) return next();
    const token = tokenFrom(req.headers.authorization);
    if (!token) throw new UnauthorizedError();
    const siteKey = siteParam ? validSite(req, siteParam) : undefined;
    const verdict = await checker.check(token, siteKey);
    if (verdict.status === 'unavailable') throw new AuthUnavailableError();
    if (verdict.status === 'inactive') throw new UnauthorizedError();
    const { caller } = verdict;
    if (!rule.roles.includes(caller.role)) {
      throw new ForbiddenError(
        `token '${caller.name}' has role '${caller.role}'; this action needs ${rule.needs}`,
      );
    }
    if (siteParam && caller.siteSelector !== null) {
      // An invalid key is the caller's mistake (400), whatever the selector would say.
      if (siteKey === undefined) siteFrom(req.params[siteParam]);
      if (!verdict.siteAllowed) {
        const message = `token '${caller.name}' may not write site '${siteKey}': it is limited to sites matching '${caller.siteSelector}'`;
        throw new AppError({
          status: 403,
          code: 'forbidden',
          message,
          details: [{ path: 'siteId', message: "outside the token's site selector" }],
        });
      }
    }
    res.locals.ingestCaller = caller;
    next();
  };
}

function validSite(req: Request, param: string): string | undefined {
  try {
    return siteFrom(req.params[param]);
  } catch {
    return undefined;
  }
}

/** The control plane cannot confirm the token now and did not confirm it recently. */
export class AuthUnavailableError extends AppError {
  constructor() {
    super({
      status: 503,
      code: 'auth_unavailable',
      message:
        'the control plane cannot confirm this token right now and has not confirmed it recently; retry later',
      headers: { 'Retry-After': '5' },
    });
  }
}
