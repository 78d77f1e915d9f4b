/**
 * Observing config: the config vars and the add-ons' var names (which vars an add-on owns, including
 * the `<NAME>_URL` of another app's add-on attached here).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { RunContext } from "../../engine/index.ts"
import { addonVarsOf } from "../../services/heroku/addons.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { ConfigVars } from "../../services/heroku/schemas.ts"
import type { ConfigLive } from "./diff.ts"
import type { ConfigSpec } from "./spec.ts"

const readVars = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.find(appPath(app, "/config-vars"), ConfigVars))

const observe = Effect.fn("config.observe")(function* (desired: ConfigSpec, app: string) {
  const [vars, addons] = yield* Effect.all(
    [
      readVars(app),
      addonVarsOf(app).pipe(
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed([]),
        ),
      ),
    ],
    { concurrency: 2 },
  )
  const clashes = addons.flatMap((a) =>
    a.configVars.filter((v) => Object.hasOwn(desired.vars, v)).map((v) => `${v} (set by ${a.name})`),
  )
  const live: ConfigLive = {
    app,
    appExists: Option.isSome(vars),
    vars: Object.fromEntries(
      Object.entries(Option.getOrElse(vars, () => ({}))).map(([k, v]) => [k, Redacted.make(v)]),
    ),
    addonOwned: addons.flatMap((a) => a.configVars),
    clashes,
  }
  return live
})

/** The live config of the context's app (values redacted). */
export const observeConfig = (desired: ConfigSpec, ctx: RunContext) =>
  appNameOf(ctx, "config").pipe(Effect.flatMap((app) => observe(desired, app)))
