// Shapes of the admin API, taken from the OpenAPI document the server serves
// (`npm run generate` writes ./api/schema.d.ts). Nothing here is written by hand.
import type { components, paths } from './api/schema';

export type { components, paths };

type Schemas = components['schemas'];
export type Site = Schemas['Site'];
export type PinEvent = Schemas['PinEvent'];
export type Version = Schemas['Version'];
export type ImportReport = Schemas['ImportReport'];
export type ErrorBody = Schemas['Error'];
export type Role = Schemas['ApiToken']['role'];
export type Rollout = Schemas['Rollout'];
export type RolloutState = Rollout['state'];
export type RolloutStage = Rollout['stages'][number];
export type RolloutTarget = Schemas['RolloutTarget'];
export type TargetStatus = RolloutTarget['status'];
export type CheckResult = Schemas['CheckResult'];
export type Cohort = Schemas['Cohort'];
export type Sensor = Schemas['Sensor'];
export type CohortPreview = Schemas['CohortPreview'];
export type Repair = Schemas['Repair'];
export type RepairSite = Schemas['RepairSite'];
export type AuditEvent = Schemas['AuditEvent'];

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** Paths that have an operation for this method. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends HttpMethod> = NonNullable<paths[P][M]>;

export type PathParams<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { parameters: { path: infer T } } ? T : never;

export type QueryParams<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { parameters: { query?: infer T } } ? T : never;

export type RequestBody<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;

type SuccessStatus = 200 | 201 | 202;
type Responses<P extends keyof paths, M extends HttpMethod> = Operation<P, M>['responses'];

/** The JSON body of the operation's success response (void for 204). */
export type ResponseBody<P extends keyof paths, M extends HttpMethod> = {
  [S in SuccessStatus & keyof Responses<P, M>]: Responses<P, M>[S] extends {
    content: { 'application/json': infer T };
  }
    ? T
    : never;
}[SuccessStatus & keyof Responses<P, M>] extends infer B
  ? [B] extends [never]
    ? void
    : B
  : never;
