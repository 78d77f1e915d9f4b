/** Finding records by id or name, with Heroku's 404 `not_found` when they are absent. */
import type { SimContext } from "../context.ts"
import { notFound } from "../http/errors.ts"
import type { AddonRecord, AppRecord, PipelineRecord, ReleaseRecord } from "../state/model.ts"

export const findApp = (ctx: SimContext, idOrName: string): AppRecord => {
  const app = ctx.state.apps.find((a) => a.id === idOrName || a.name === idOrName)
  if (app === undefined) throw notFound("app", "app")
  return app
}

export const appById = (ctx: SimContext, id: string): AppRecord | undefined =>
  ctx.state.apps.find((a) => a.id === id)

export const findAddon = (ctx: SimContext, idOrName: string, app?: AppRecord): AddonRecord => {
  const addon = ctx.state.addons.find(
    (a) => (a.id === idOrName || a.name === idOrName) && (app === undefined || a.appId === app.id),
  )
  if (addon === undefined) throw notFound("addon", "add-on")
  return addon
}

export const appReleases = (ctx: SimContext, app: AppRecord): ReleaseRecord[] =>
  ctx.state.releases.filter((r) => r.appId === app.id)

/** A release by UUID or by version number. */
export const findRelease = (ctx: SimContext, app: AppRecord, idOrVersion: string): ReleaseRecord => {
  const release = appReleases(ctx, app).find((r) => r.id === idOrVersion || String(r.version) === idOrVersion)
  if (release === undefined) throw notFound("release", "release")
  return release
}

/** The app's current release: its newest succeeded one (a pending or failed release is not current). */
export const currentRelease = (ctx: SimContext, app: AppRecord): ReleaseRecord | undefined =>
  appReleases(ctx, app).reduce<ReleaseRecord | undefined>(
    (a, r) => (r.status === "succeeded" && (a === undefined || r.version > a.version) ? r : a),
    undefined,
  )

export const findPipeline = (ctx: SimContext, idOrName: string): PipelineRecord => {
  const p = ctx.state.pipelines.find((x) => x.id === idOrName || x.name === idOrName)
  if (p === undefined) throw notFound("pipeline", "pipeline")
  return p
}

/** Reads `{ id }` or `{ name }` or a plain string from a request body field. */
export const identity = (value: unknown): string | undefined => {
  if (typeof value === "string") return value
  if (typeof value === "object" && value !== null) {
    const v = value as { id?: unknown; name?: unknown }
    if (typeof v.id === "string") return v.id
    if (typeof v.name === "string") return v.name
  }
  return undefined
}
