/**
 * How to start the ingestion API's Node.js process (`NODE_OPTIONS`): a young generation of 8 MB
 * semi-spaces and at most 384 MB of old generation. Left to itself, V8 grows the heap to several
 * times what is live while a large feed is parsed and written (live stays under 100 MB for a
 * 40 MB feed; the heap reached 300+ MB and the process 700 MB); with these limits it collects
 * sooner, at no measurable cost in time, and the process stays under 512 MiB
 * (docs/adr/0016-streaming-feeds.md, docs/benchmarks.md). 384 MB leaves room for several large
 * feeds received at once. Runtime flags cannot change these limits: they are read at start.
 */
export const ingestNodeOptions = '--max-semi-space-size=8 --max-old-space-size=384';
