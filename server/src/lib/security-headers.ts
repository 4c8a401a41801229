import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for every response of both APIs and the dashboard. The built dashboard is one
 * script and one stylesheet from /assets with no inline code (React sets styles through the
 * CSSOM, which CSP does not govern), so `'self'` is enough and nothing inline is allowed.
 * No `upgrade-insecure-requests`: the demo and many internal deployments are plain HTTP, where
 * it would send the browser to an https origin that does not exist.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}
