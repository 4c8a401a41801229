// Turns the SDK's view of the two Pinion flags into one Map from site to version and a Set of
// paused sites, rebuilt on every SDK update, so a lookup on the import path is one map read.

export type FlagDefinition = {
  enabled: boolean;
  strategies?: {
    name: string;
    parameters?: Record<string, unknown>;
    variants?: { payload?: { value?: string } }[];
  }[];
};

export type PinIndex = { versions: Map<string, string>; paused: Set<string> };

const idsOf = (parameters: Record<string, unknown> | undefined) =>
  String(parameters?.siteIds ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function indexPins(
  versionFlag: FlagDefinition | undefined,
  pausedFlag: FlagDefinition | undefined,
): PinIndex {
  const versions = new Map<string, string>();
  if (versionFlag?.enabled) {
    for (const strategy of versionFlag.strategies ?? []) {
      const version = strategy.variants?.[0]?.payload?.value;
      if (strategy.name !== 'siteIds' || !version) continue;
      for (const site of idsOf(strategy.parameters)) versions.set(site, version);
    }
  }
  const paused = new Set<string>();
  if (pausedFlag?.enabled) {
    for (const strategy of pausedFlag.strategies ?? []) {
      if (strategy.name === 'siteIds')
        for (const site of idsOf(strategy.parameters)) paused.add(site);
    }
  }
  return { versions, paused };
}
