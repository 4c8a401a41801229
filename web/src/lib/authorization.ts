import type { Role } from './api-types';

// Mirrors the server's staff ranking (server/src/http/auth.ts). The server stays the judge: this
// only decides whether to offer an action the server would refuse anyway.
const rank: Partial<Record<Role, number>> = { viewer: 1, operator: 2, release: 3, admin: 4 };

export type StaffRole = 'viewer' | 'operator' | 'release' | 'admin';

export function hasRole(role: Role | undefined, need: StaffRole): boolean {
  return role !== undefined && (rank[role] ?? 0) >= rank[need]!;
}
