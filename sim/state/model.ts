/**
 * The simulator's whole state as plain JSON-able records. Records hold ids, not nested objects;
 * resources render them into the Heroku response shapes.
 */
export type ConfigMap = Record<string, string>

export interface FormationRecord {
  id: string
  type: string
  quantity: number
  size: string
  command: string
  createdAt: string
  updatedAt: string
}

export interface AppRecord {
  id: string
  name: string
  region: string
  stack: string
  buildStack: string
  maintenance: boolean
  acm: boolean
  buildpacks: string[]
  config: ConfigMap
  formation: FormationRecord[]
  releasedAt: string | null
  /** App features switched on or off by name (absent: the catalog's default). */
  features: Record<string, boolean>
  createdAt: string
  updatedAt: string
}

export interface ReleaseRecord {
  id: string
  appId: string
  version: number
  description: string
  slugId: string | null
  config: ConfigMap
  addonPlanNames: string[]
  status: "pending" | "succeeded" | "failed"
  /** What the release phase printed, when one ran. */
  output?: string
  createdAt: string
  updatedAt: string
}

export interface AddonRecord {
  id: string
  name: string
  appId: string
  service: string
  plan: string
  state: "provisioning" | "provisioned" | "deprovisioned"
  /** The URL each attachment exposes as `<NAME>_URL`. */
  url: string
  /** Set for heroku-postgresql: the database and role to drop on delete. */
  database: { name: string; role: string } | null
  /** The `config` provisioning options given at creation (e.g. `{ version: "16" }`). */
  config: Record<string, string>
  createdAt: string
  updatedAt: string
}

export interface AttachmentRecord {
  id: string
  name: string
  addonId: string
  appId: string
  createdAt: string
  updatedAt: string
}

export interface SlugRecord {
  id: string
  appId: string
  processTypes: Record<string, string>
  commit: string | null
  checksum: string | null
  size: number
  stack: string
  createdAt: string
  updatedAt: string
}

export interface BuildRecord {
  id: string
  appId: string
  status: "pending" | "succeeded" | "failed"
  sourceBlob: { url: string; checksum: string | null; version: string | null }
  buildpacks: string[]
  stack: string
  slugId: string | null
  releaseId: string | null
  output: string
  createdAt: string
  updatedAt: string
}

export interface PipelineRecord {
  id: string
  name: string
  createdAt: string
  updatedAt: string
}

export interface CouplingRecord {
  id: string
  appId: string
  pipelineId: string
  stage: "test" | "review" | "development" | "staging" | "production"
  createdAt: string
  updatedAt: string
}

export interface PromotionTargetRecord {
  id: string
  appId: string
  releaseId: string | null
  status: "pending" | "succeeded" | "failed"
  errorMessage: string | null
}

export interface PromotionRecord {
  id: string
  pipelineId: string
  sourceAppId: string
  sourceReleaseId: string
  status: "pending" | "completed"
  targets: PromotionTargetRecord[]
  createdAt: string
  updatedAt: string
}

export interface DomainRecord {
  id: string
  appId: string
  hostname: string
  /** The DNS target to point the hostname at. */
  cname: string
  status: "pending" | "succeeded"
  /** With ACM on: `pending`, then `cert issued`; null with ACM off. */
  acmStatus: string | null
  acmStatusReason: string | null
  sniEndpointId: string | null
  createdAt: string
  updatedAt: string
}

export interface SniEndpointRecord {
  id: string
  appId: string
  name: string
  certificateChain: string
  createdAt: string
  updatedAt: string
}

export interface DrainRecord {
  id: string
  appId: string
  url: string
  /** `d.<uuid>`, as Heroku's drain tokens look. */
  token: string
  createdAt: string
  updatedAt: string
}

/** A daily backup schedule of a database (the Data API's transfer-schedules). */
export interface ScheduleRecord {
  uuid: string
  addonId: string
  /** The attachment's config var, e.g. `DATABASE_URL`. */
  name: string
  hour: number
  timezone: string
  /** The last day (in the schedule's timezone, `YYYY-MM-DD`) a scheduled backup was taken. */
  lastRunDay: string | null
  createdAt: string
  updatedAt: string
}

export interface State {
  version: 1
  account: { id: string; email: string; createdAt: string }
  apps: AppRecord[]
  releases: ReleaseRecord[]
  addons: AddonRecord[]
  attachments: AttachmentRecord[]
  slugs: SlugRecord[]
  builds: BuildRecord[]
  sources: string[]
  pipelines: PipelineRecord[]
  couplings: CouplingRecord[]
  promotions: PromotionRecord[]
  domains: DomainRecord[]
  sniEndpoints: SniEndpointRecord[]
  drains: DrainRecord[]
  schedules: ScheduleRecord[]
}

export const emptyState = (now: string, accountId: string): State => ({
  version: 1,
  account: { id: accountId, email: "simulator@example.com", createdAt: now },
  apps: [],
  releases: [],
  addons: [],
  attachments: [],
  slugs: [],
  builds: [],
  sources: [],
  pipelines: [],
  couplings: [],
  promotions: [],
  domains: [],
  sniEndpoints: [],
  drains: [],
  schedules: [],
})

/** Fills in what a state file written by an older simulator lacks. */
export const upgradeState = (loaded: State, now: string, accountId: string): State => {
  const state: State = { ...emptyState(now, accountId), ...loaded }
  for (const app of state.apps) app.features ??= {}
  for (const addon of state.addons) addon.config ??= {}
  return state
}
