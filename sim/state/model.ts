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
})
