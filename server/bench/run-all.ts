// npm run bench -w server: every benchmark, one after the other. Figures go to docs/benchmarks.md.
import { drillBench } from './drill.bench.ts';
import { featuresEndpointBench } from './features-endpoint.bench.ts';
import { ingestFeedBench } from './ingest-feed.bench.ts';
import { ingestThroughputBench } from './ingest-throughput.bench.ts';
import { pinLookupBench } from './pin-lookup.bench.ts';
import { readPathBench } from './read-path.bench.ts';
import { repairBench } from './repair.bench.ts';
import { rolloutBench } from './rollout.bench.ts';

await pinLookupBench();
await featuresEndpointBench();
await readPathBench();
await rolloutBench();
await drillBench();
await repairBench();
await ingestFeedBench();
await ingestThroughputBench();
