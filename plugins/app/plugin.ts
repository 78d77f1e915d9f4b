/**
 * The app plugin (wave `app`): creates the app when missing (name, region, stack), keeps its build
 * stack, buildpacks (one PUT for the whole list) and maintenance mode as declared. It never deletes
 * an app. Observation: `GET /apps/{app}`, plus the buildpack installations when they are managed.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { definePlugin, done } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AppInfo, BuildpackInstallation } from "../../services/heroku/schemas.ts"
import { type AppChange, type AppLive, appWarnings, diffApp } from "./diff.ts"
import { appProblems } from "./problems.ts"
import { type AppSpec, appSection } from "./spec.ts"

const Buildpacks = Schema.Array(BuildpackInstallation)

const observe = Effect.fn("app.observe")(function* (desired: AppSpec) {
  const api = yield* HerokuApi
  const found = yield* api.find(appPath(desired.name), AppInfo)
  if (Option.isNone(found)) return { exists: false } satisfies AppLive
  const app = found.value
  const installed =
    desired.buildpacks === undefined
      ? undefined
      : (yield* api.get(appPath(desired.name, "/buildpack-installations"), Buildpacks))
          .slice()
          .sort((a, b) => a.ordinal - b.ordinal)
          .map((i) => ({ url: i.buildpack.url, name: i.buildpack.name ?? null }))
  const live: AppLive = {
    exists: true,
    region: app.region.name,
    stack: app.stack.name,
    buildStack: app.build_stack.name,
    maintenance: app.maintenance,
    buildpacks: installed,
  }
  return live
})

const putBuildpacks = (app: string, buildpacks: ReadonlyArray<string>) =>
  Effect.flatMap(HerokuApi, (api) =>
    api.send(
      "PUT",
      appPath(app, "/buildpack-installations"),
      { updates: buildpacks.map((buildpack) => ({ buildpack })) },
      Buildpacks,
    ),
  )

const patchApp = (app: string, body: Record<string, unknown>) =>
  Effect.flatMap(HerokuApi, (api) => api.send("PATCH", appPath(app), body, AppInfo))

/** Idempotent: a retried create (after a lost answer) finds the app and only finishes the settings. */
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
  if (spec.buildpacks !== undefined && spec.buildpacks.length > 0)
    yield* putBuildpacks(spec.name, spec.buildpacks)
  if (spec.maintenance === true && !app.maintenance) yield* patchApp(spec.name, { maintenance: true })
  return done(`created ${spec.name}`, app.web_url ? { webUrl: app.web_url } : undefined)
})

const apply = (change: AppChange) => {
  switch (change.kind) {
    case "create":
      return create(change.spec)
    case "buildpacks":
      return putBuildpacks(change.app, change.buildpacks).pipe(Effect.as(done()))
    case "maintenance":
      return patchApp(change.app, { maintenance: change.on }).pipe(Effect.as(done()))
    case "stack":
      return patchApp(change.app, { build_stack: change.stack }).pipe(Effect.as(done()))
  }
}

/** The Heroku app: created when missing, never deleted. */
export const appPlugin = definePlugin<AppSpec, AppLive, AppChange, HerokuApi>({
  name: "app",
  section: appSection,
  wave: "app",
  observe: (desired) => observe(desired),
  diff: (desired, live) => diffApp(desired, live),
  apply: (change) => apply(change),
  warnings: appWarnings,
  validate: (spec) => appProblems(spec).map((p) => ({ ...p, path: ["spec", ...p.path] })),
})
