/** Where the versions the fleet may be pinned to come from. Config today; Kubernetes later. */
export interface VersionSource {
  readonly name: string;
  list(): Promise<DeclaredVersion[]>;
}

export type DeclaredVersion = { name: string };

export const versionNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Versions named in configuration (`PINION_VERSIONS=v1,v2,v3`). */
export function staticVersionSource(names: string[]): VersionSource {
  const versions = names.map((name) => ({ name }));
  return { name: 'config', list: async () => versions };
}
