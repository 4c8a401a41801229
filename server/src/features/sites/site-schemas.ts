import { z } from 'zod';
import { Limit, Offset } from '../../http/number-params.ts';
import { versionNamePattern } from '../versions/version-source.ts';

// Site keys end up in comma-separated `siteIds` lists and label values in selectors, so neither
// may contain commas, spaces or operators (Kubernetes label grammar).
export const siteKeyPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const labelKeyPattern =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const SiteKey = z
  .string()
  .regex(
    siteKeyPattern,
    'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const VersionName = z.string().regex(versionNamePattern, 'is not a valid version name');

export const Labels = z
  .record(
    z.string().regex(labelKeyPattern, 'label keys use the Kubernetes label-key grammar'),
    z
      .string()
      .regex(labelValuePattern, 'label values are up to 63 letters, digits, "-", "_" or "."'),
  )
  .refine((labels) => Object.keys(labels).length <= 32, 'at most 32 labels');

export const NewSite = z.strictObject({
  key: SiteKey,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  labels: Labels.default({}),
  version: VersionName.optional().describe('defaults to the fleet default version'),
});
export type NewSite = z.output<typeof NewSite>;

export const SiteSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    labels: z.record(z.string(), z.string()),
    pinnedVersion: z.string(),
    paused: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Site' });

const asList = (v: string | string[] | undefined) =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export const SiteListQuery = z.strictObject({
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(asList)
    .pipe(z.array(z.string().regex(/^[^=]+=[^=]*$/, 'use key=value'))),
  version: VersionName.optional(),
  paused: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  q: z.string().max(100).optional().describe('matches key or name (case-insensitive substring)'),
  limit: Limit(1000, 50),
  offset: Offset,
});
export type SiteListQuery = z.output<typeof SiteListQuery>;

type SiteRow = {
  key: string;
  name: string;
  labels: unknown;
  pinnedVersion: string;
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export function toSiteBody(site: SiteRow): z.input<typeof SiteSchema> {
  return {
    key: site.key,
    name: site.name,
    labels: site.labels as Record<string, string>,
    pinnedVersion: site.pinnedVersion,
    paused: site.paused,
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}
