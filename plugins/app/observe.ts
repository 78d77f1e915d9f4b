/** Observing the app: `GET /apps/{app}`, plus the buildpack installations when they are managed. */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AppFeature, AppInfo, BuildpackInstallation } from "../../services/heroku/schemas.ts"
import type { AppLive } from "./diff.ts"
import type { AppSpec } from "./spec.ts"

/** The buildpack installations list, as the API returns it. */
export const Buildpacks = Schema.Array(BuildpackInstallation)

/** Every feature of the app, by name. */
const readFeatures = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/features"), AppFeature)).pipe(
    Effect.map((list) => Object.fromEntries(list.map((f) => [f.name, f.enabled]))),
  )

/** The live app, or `exists: false` when there is none by that name. */
export const observeApp = Effect.fn("app.observe")(function* (desired: AppSpec) {
  const api = yield* HerokuApi
  const found = yield* api.find(appPath(desired.name), AppInfo)
  if (Option.isNone(found)) return { exists: false } satisfies AppLive
  const app = found.value
  // what the app's answer calls for is read at once: buildpacks and features are independent
  const [installed, features] = yield* Effect.all(
    [
      desired.buildpacks === undefined
        ? Effect.succeed(undefined)
        : Effect.map(api.get(appPath(desired.name, "/buildpack-installations"), Buildpacks), (list) =>
            list
              .slice()
              .sort((a, b) => a.ordinal - b.ordinal)
              .map((i) => ({ url: i.buildpack.url, name: i.buildpack.name ?? null })),
          ),
      desired.features === undefined ? Effect.succeed(undefined) : readFeatures(desired.name),
    ],
    { concurrency: "unbounded" },
  )
  const live: AppLive = {
    exists: true,
    region: app.region.name,
    stack: app.stack.name,
    buildStack: app.build_stack.name,
    maintenance: app.maintenance,
    buildpacks: installed,
    acm: app.acm ?? false,
    features,
  }
  return live
})
