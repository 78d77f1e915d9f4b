/** Applying app changes: create (idempotent), buildpacks (one PUT for the list), maintenance, stack, ACM, features. */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { done } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AppFeature, AppInfo } from "../../services/heroku/schemas.ts"
import { type AppChange, sameBuildpacks } from "./diff.ts"
import { Buildpacks } from "./observe.ts"
import type { AppSpec } from "./spec.ts"

const putBuildpacks = (app: string, buildpacks: ReadonlyArray<string>) =>
  Effect.flatMap(HerokuApi, (api) =>
    api.send(
      "PUT",
      appPath(app, "/buildpack-installations"),
      { updates: buildpacks.map((buildpack) => ({ buildpack })) },
      Buildpacks,
    ),
  )

const setAcm = (app: string, on: boolean) =>
  Effect.flatMap(HerokuApi, (api) => api.send(on ? "POST" : "DELETE", appPath(app, "/acm"), {}, AppInfo))

const setFeature = (app: string, name: string, enabled: boolean) =>
  Effect.flatMap(HerokuApi, (api) =>
    api.send("PATCH", appPath(app, `/features/${encodeURIComponent(name)}`), { enabled }, AppFeature),
  )

const patchApp = (app: string, body: Record<string, unknown>) =>
  Effect.flatMap(HerokuApi, (api) => api.send("PATCH", appPath(app), body, AppInfo))

/**
 * Idempotent: a retried create (after a lost answer) finds the app and only finishes the settings.
 * A create is several writes; these reads let any attempt finish a partly applied one without
 * repeating the writes that landed, which an all-or-nothing `landed` answer cannot, so they stay here.
 */
const create = Effect.fn("app.create")(function* (spec: AppSpec) {
  const api = yield* HerokuApi
  const existing = yield* api.find(appPath(spec.name), AppInfo)
  const app = Option.isSome(existing)
    ? existing.value
    : yield* api.send(
        "POST",
        "/apps",
        {
          name: spec.name,
          ...(spec.region === undefined ? {} : { region: spec.region }),
          ...(spec.stack === undefined ? {} : { stack: spec.stack }),
        },
        AppInfo,
      )
  if (spec.buildpacks !== undefined && spec.buildpacks.length > 0) {
    // a retry after a lost answer reads what the lost PUT may already have installed, and sends it
    // again only when it did not land (a read is safer to retry than a write whose answer can be lost)
    const installed = Option.isSome(existing)
      ? (yield* api.get(appPath(spec.name, "/buildpack-installations"), Buildpacks))
          .slice()
          .sort((a, b) => a.ordinal - b.ordinal)
          .map((i) => ({ url: i.buildpack.url, name: i.buildpack.name ?? null }))
      : []
    if (!sameBuildpacks(spec.buildpacks, installed)) yield* putBuildpacks(spec.name, spec.buildpacks)
  }
  if (spec.maintenance === true && !app.maintenance) yield* patchApp(spec.name, { maintenance: true })
  if (spec.acm !== undefined && spec.acm !== (app.acm ?? false)) yield* setAcm(spec.name, spec.acm)
  for (const [name, enabled] of Object.entries(spec.features ?? {}))
    yield* setFeature(spec.name, name, enabled)
  return done(`created ${spec.name}`, app.web_url ? { appUrl: app.web_url } : undefined)
})

/** Applies one app change. */
export const applyApp = (change: AppChange) => {
  switch (change.kind) {
    case "create":
      return create(change.spec)
    case "buildpacks":
      return putBuildpacks(change.app, change.buildpacks).pipe(Effect.as(done()))
    case "maintenance":
      return patchApp(change.app, { maintenance: change.on }).pipe(Effect.as(done()))
    case "stack":
      return patchApp(change.app, { build_stack: change.stack }).pipe(Effect.as(done()))
    case "acm":
      return setAcm(change.app, change.on).pipe(Effect.as(done()))
    case "feature":
      return setFeature(change.app, change.name, change.enabled).pipe(
        Effect.as(done(`${change.name} ${change.enabled ? "on" : "off"}`)),
      )
  }
}
