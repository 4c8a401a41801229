import type { Pipeline } from './product.ts';
import { v1 } from './v1.ts';
import { v2 } from './v2.ts';
import { v3 } from './v3.ts';

const pipelines = new Map<string, Pipeline>([v1, v2, v3].map((p) => [p.version, p]));

/** Finds the pipeline that runs a version; the ingestion API takes one as an option. */
export type PipelineLookup = (version: string) => Pipeline | undefined;

/** The pipeline for a pinned version, or undefined: an unknown version is never guessed. */
export function pipelineFor(version: string): Pipeline | undefined {
  return pipelines.get(version);
}

export const pipelineVersions = [...pipelines.keys()];
