// Query keys in one place: a mutation in one feature invalidates what another feature shows
// without importing it (features never import each other).
export const queryKeys = {
  me: ['me'] as const,
  versions: ['versions'] as const,
  /** Every site query: lists and single sites. */
  sites: ['sites'] as const,
  siteList: (filters: object) => ['sites', 'list', filters] as const,
  site: (key: string) => ['sites', 'detail', key] as const,
  pinHistory: (key: string) => ['pin-history', key] as const,
  siteImports: (key: string) => ['imports', key] as const,
};
