// Turns the SDK's view of the two Pinion flags into one dictionary from site to its pin, rebuilt
// on every SDK update, so a lookup on the import path is a single property read that allocates
// nothing (docs/adr/0005-pin-lookup.md).

export type FlagDefinition = {
  enabled: boolean;
  strategies?: {
    name: string;
    parameters?: Record<string, unknown>;
    variants?: { payload?: { value?: string } }[];
  }[];
};

export type Pin = { readonly status: 'pinned'; readonly version: string; readonly paused: boolean };

/** Site key → pin. A null-prototype object: V8's dictionary lookup beats a Map at a million keys. */
export type PinIndex = Readonly<Record<string, Pin | undefined>>;

const idsOf = (parameters: Record<string, unknown> | undefined) =>
  String(parameters?.siteIds ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function indexPins(
  versionFlag: FlagDefinition | undefined,
  pausedFlag: FlagDefinition | undefined,
): PinIndex {
  const paused = new Set<string>();
  if (pausedFlag?.enabled) {
    for (const strategy of pausedFlag.strategies ?? []) {
      if (strategy.name === 'siteIds')
        for (const site of idsOf(strategy.parameters)) paused.add(site);
    }
  }
  const index: Record<string, Pin> = Object.create(null);
  if (!versionFlag?.enabled) return index;
  for (const strategy of versionFlag.strategies ?? []) {
    const version = strategy.variants?.[0]?.payload?.value;
    if (strategy.name !== 'siteIds' || !version) continue;
    // Every site on a version shares one of two frozen answers.
    const running: Pin = Object.freeze({ status: 'pinned', version, paused: false });
    const held: Pin = Object.freeze({ status: 'pinned', version, paused: true });
    for (const site of idsOf(strategy.parameters)) index[site] = paused.has(site) ? held : running;
  }
  return index;
}
