/**
 * Creating releases, the one way state moves forward: every config change, attach, detach, deploy,
 * rollback and promotion goes through `createRelease`, exactly as Heroku numbers them.
 */
import { randomUUID } from "node:crypto"
import { join } from "node:path"
import type { SimContext } from "../context.ts"
import type { AppRecord, ConfigMap, ReleaseRecord } from "../state/model.ts"
import { appReleases } from "./lookup.ts"

export interface NewRelease {
  readonly description: string
  /** Absent: keep the current slug. */
  readonly slugId?: string | null
  /** Absent: keep the current config. */
  readonly config?: ConfigMap
}

const syncFormation = (ctx: SimContext, app: AppRecord, slugId: string): void => {
  const slug = ctx.state.slugs.find((s) => s.id === slugId)
  if (slug === undefined) return
  const now = ctx.now()
  const types = Object.entries(slug.processTypes)
  app.formation = types.map(([type, command]) => {
    const existing = app.formation.find((f) => f.type === type)
    if (existing !== undefined) return { ...existing, command, updatedAt: now }
    const quantity = type === "web" ? 1 : 0
    return { id: randomUUID(), type, quantity, size: "Basic", command, createdAt: now, updatedAt: now }
  })
}

/** Appends the next release and makes it current; the app's config becomes the release's. */
export const createRelease = (ctx: SimContext, app: AppRecord, next: NewRelease): ReleaseRecord => {
  const previous = appReleases(ctx, app)
  const latest = previous[previous.length - 1]
  const now = ctx.now()
  const slugId = next.slugId === undefined ? (latest?.slugId ?? null) : next.slugId
  const config = { ...(next.config ?? app.config) }
  const release: ReleaseRecord = {
    id: randomUUID(),
    appId: app.id,
    version: (latest?.version ?? 0) + 1,
    description: next.description,
    slugId,
    config,
    addonPlanNames: ctx.state.addons.filter((a) => a.appId === app.id).map((a) => `${a.service}:${a.plan}`),
    status: "succeeded",
    createdAt: now,
    updatedAt: now,
  }
  ctx.state.releases.push(release)
  app.config = { ...config }
  app.releasedAt = now
  app.updatedAt = now
  if (slugId !== null && slugId !== latest?.slugId) syncFormation(ctx, app, slugId)
  ctx.recorder.releaseCreated(app.name)
  notifyDynos(ctx, app, release)
  return release
}

/** Hands the release to the dyno runner (a no-op until dynos are implemented). */
export const notifyDynos = (ctx: SimContext, app: AppRecord, release: ReleaseRecord): void => {
  const slug = ctx.state.slugs.find((s) => s.id === release.slugId)
  const payload = {
    appName: app.name,
    version: release.version,
    slugDir: slug === undefined ? null : join(ctx.dataDir, "slugs", slug.id),
    processTypes: slug?.processTypes ?? {},
    config: release.config,
    formation: app.formation.map((f) => ({ type: f.type, quantity: f.quantity })),
  }
  ctx.tasks.run(() => ctx.dynoRunner.apply(payload))
}

/** Applies a config change (`null` deletes) as one release; returns the new map. */
export const changeConfig = (
  ctx: SimContext,
  app: AppRecord,
  changes: Readonly<Record<string, string | null>>,
  description: string,
): ConfigMap => {
  const config = { ...app.config }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete config[k]
    else config[k] = v
  }
  createRelease(ctx, app, { description, config })
  return config
}
