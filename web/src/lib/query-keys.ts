// Query keys in one place: a mutation in one feature invalidates what another feature shows
// without importing it (features never import each other).
export const queryKeys = {
  me: ['me'] as const,
  versions: ['versions'] as const,
  /** Every site query: lists and single sites. */
  sites: ['sites'] as const,
  siteList: (filters: object) => ['sites', 'list', filters] as const,
  site: (key: string) => ['sites', 'detail', key] as const,
  /** Every site's pin history (a rollout changes many pins at once). */
  pinHistories: ['pin-history'] as const,
  pinHistory: (key: string) => ['pin-history', key] as const,
  siteImports: (key: string) => ['imports', key] as const,
  /** Every rollout query: lists, single rollouts and what hangs off them. */
  rollouts: ['rollouts'] as const,
  rolloutList: (filters: object) => ['rollouts', 'list', filters] as const,
  /** A rollout, and (as a prefix) its targets and analysis. */
  rollout: (id: number) => ['rollouts', 'detail', id] as const,
  rolloutTargets: (id: number, filters: object) =>
    ['rollouts', 'detail', id, 'targets', filters] as const,
  rolloutAnalysis: (id: number) => ['rollouts', 'detail', id, 'analysis'] as const,
  /** Every audit query. */
  audit: ['audit'] as const,
  rolloutAudit: (id: number) => ['audit', 'rollout', id] as const,
  cohorts: ['cohorts'] as const,
  cohort: (id: number) => ['cohorts', 'detail', id] as const,
  cohortPreview: (selector: string) => ['cohorts', 'preview', selector] as const,
  /** Every ingestion instance's reporting lag. */
  sensors: ['sensors'] as const,
  repairs: ['repairs'] as const,
  repair: (id: number) => ['repairs', 'detail', id] as const,
  /** Which repair (if any) belongs to a rollout. */
  rolloutRepair: (rolloutId: number) => ['repairs', 'of-rollout', rolloutId] as const,
};
