// Names for the shapes of the admin API, taken from the OpenAPI document the server serves
// (`npm run generate` writes ./api/schema.d.ts). Nothing here is written by hand: a shape the
// server changes changes here, and the typecheck finds every screen that relied on the old one.
import type { components, paths } from './api/schema';

type Schemas = components['schemas'];
export type Site = Schemas['Site'];
export type PinEvent = Schemas['PinEvent'];
export type Version = Schemas['Version'];
export type ImportReport = Schemas['ImportReport'];
export type Role = Schemas['ApiToken']['role'];
export type Rollout = Schemas['Rollout'];
export type RolloutState = Rollout['state'];
export type RolloutTarget = Schemas['RolloutTarget'];
export type TargetStatus = RolloutTarget['status'];
export type CheckResult = Schemas['CheckResult'];
export type Cohort = Schemas['Cohort'];
export type Sensor = Schemas['Sensor'];
export type CohortPreview = Schemas['CohortPreview'];
export type Repair = Schemas['Repair'];
export type RepairSite = Schemas['RepairSite'];
export type AuditEvent = Schemas['AuditEvent'];

type Operation<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;

/** The JSON body an operation takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

/** The query parameters an operation takes. */
export type QueryParams<P extends keyof paths, M extends keyof paths[P]> = NonNullable<
  Operation<P, M> extends { parameters: { query?: infer Q } } ? Q : never
>;
