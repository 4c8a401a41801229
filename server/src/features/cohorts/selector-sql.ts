import { Prisma } from '../../db/generated/client.ts';
import type { Selector } from './selector.ts';

/** The WHERE condition over `sites.labels` for a parsed selector (Kubernetes semantics). */
export function selectorCondition(selector: Selector): Prisma.Sql {
  const parts = selector.map((r) => {
    switch (r.op) {
      case 'exists':
        return Prisma.sql`(labels -> ${r.key}) IS NOT NULL`;
      case 'not_exists':
        return Prisma.sql`(labels -> ${r.key}) IS NULL`;
      case 'eq':
        // Containment can use the GIN index on labels.
        return Prisma.sql`labels @> ${JSON.stringify({ [r.key]: r.value })}::jsonb`;
      case 'neq':
        return Prisma.sql`NOT (labels @> ${JSON.stringify({ [r.key]: r.value })}::jsonb)`;
      case 'in':
        return Prisma.sql`(labels ->> ${r.key}) = ANY(${r.values}::text[])`;
      case 'notin':
        return Prisma.sql`NOT COALESCE((labels ->> ${r.key}) = ANY(${r.values}::text[]), false)`;
    }
  });
  return Prisma.join(parts, ' AND ');
}
