// Shared by both APIs: the control plane (http/auth.ts) and the ingestion API (ingest/auth/).

// RFC 9110 §11.1: the scheme is case-insensitive; one or more spaces separate it from the token.
const bearer = /^bearer +/i;

/** Unleash SDKs send the raw token; browsers and scripts send `Bearer <token>` (any case). */
export function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header.replace(bearer, '').trim() || undefined;
}
