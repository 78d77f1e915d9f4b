/**
 * Creating releases, the one way state moves forward: every config change, attach, detach, deploy,
 * rollback and promotion goes through `createRelease`, exactly as Heroku numbers them.
 */
import { randomUUID } from "node:crypto"
import { join } from "node:path"
import type { SimContext } from "../context.ts"
import { featureEnabled } from "../state/features.ts"
import type { AppRecord, ConfigMap, ReleaseRecord } from "../state/model.ts"
import { appReleases, currentRelease } from "./lookup.ts"

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

/**
 * Appends the next release; the app's config becomes the release's. A release whose slug declares a
 * `release:` process is `pending` while the dyno runner runs it (when the runner can), and becomes
 * current only if it succeeds; any other release is current at once.
 */
export const createRelease = (ctx: SimContext, app: AppRecord, next: NewRelease): ReleaseRecord => {
  const previous = appReleases(ctx, app)
  const latest = previous[previous.length - 1]
  const current = currentRelease(ctx, app)
  const now = ctx.now()
  const slugId = next.slugId === undefined ? (current?.slugId ?? null) : next.slugId
  const config = { ...(next.config ?? app.config) }
  const releaseCommand = ctx.state.slugs.find((s) => s.id === slugId)?.processTypes.release
  const phased = releaseCommand !== undefined && ctx.dynoRunner.releasePhase !== undefined
  const release: ReleaseRecord = {
    id: randomUUID(),
    appId: app.id,
    version: (latest?.version ?? 0) + 1,
    description: next.description,
    slugId,
    config,
    addonPlanNames: ctx.state.addons.filter((a) => a.appId === app.id).map((a) => `${a.service}:${a.plan}`),
    status: phased ? "pending" : "succeeded",
    createdAt: now,
    updatedAt: now,
  }
  ctx.state.releases.push(release)
  app.config = { ...config }
  app.releasedAt = now
  app.updatedAt = now
  ctx.recorder.releaseCreated(app.name)
  if (phased) ctx.tasks.run(() => runReleasePhase(ctx, app, release, releaseCommand, current?.slugId ?? null))
  else activate(ctx, app, release, current?.slugId ?? null)
  return release
}

/** A release became current: its slug's process types shape the formation, and dynos restart. */
const activate = (ctx: SimContext, app: AppRecord, release: ReleaseRecord, previousSlugId: string | null) => {
  if (release.slugId !== null && release.slugId !== previousSlugId) syncFormation(ctx, app, release.slugId)
  notifyDynos(ctx, app, release)
}

const runReleasePhase = async (
  ctx: SimContext,
  app: AppRecord,
  release: ReleaseRecord,
  command: string,
  previousSlugId: string | null,
): Promise<void> => {
  const run = ctx.dynoRunner.releasePhase
  const result =
    run === undefined
      ? { ok: true, output: "" }
      : await run(dynoPayload(ctx, app, release), command).catch((e: unknown) => ({
          ok: false,
          output: `the release phase could not run: ${e instanceof Error ? e.message : String(e)}\n`,
        }))
  release.output = `Running release command: ${command}\n${result.output}`
  release.status = result.ok ? "succeeded" : "failed"
  release.updatedAt = ctx.now()
  if (result.ok && ctx.state.apps.includes(app)) activate(ctx, app, release, previousSlugId)
  ctx.store.save()
}

const dynoPayload = (ctx: SimContext, app: AppRecord, release: ReleaseRecord) => {
  const slug = ctx.state.slugs.find((s) => s.id === release.slugId)
  return {
    appName: app.name,
    version: release.version,
    slugDir: slug === undefined ? null : join(ctx.dataDir, "slugs", slug.id),
    processTypes: slug?.processTypes ?? {},
    config: release.config,
    metadata: featureEnabled(app.features, "runtime-dyno-metadata")
      ? {
          appId: app.id,
          releaseCreatedAt: release.createdAt,
          slugCommit: slug?.commit ?? null,
          slugDescription: release.description,
        }
      : null,
    formation: app.formation.map((f) => ({ type: f.type, quantity: f.quantity, size: f.size })),
  }
}

/** Hands the (current) release to the dyno runner, which (re)starts processes to match. */
export const notifyDynos = (ctx: SimContext, app: AppRecord, release: ReleaseRecord): void => {
  const payload = dynoPayload(ctx, app, release)
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
