/**
 * The config plugin (wave `config`): sets declared vars, prunes undeclared ones when asked
 * (destructive; never add-on vars), all in one PATCH, hence one release, per run. Missing
 * `required` keys and declared add-on vars are plan problems (see diff.ts). Observation: the config vars
 * and the add-ons' var names (which vars an add-on owns).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { definePlugin, done } from "../../engine/index.ts"
import { listAddons } from "../../services/heroku/addons.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { ConfigVars, Ignored } from "../../services/heroku/schemas.ts"
import { type ConfigBatch, type ConfigChange, type ConfigLive, diffConfig, plain } from "./diff.ts"
import { configProblems } from "./problems.ts"
import { type ConfigSpec, configSection } from "./spec.ts"

const readVars = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.find(appPath(app, "/config-vars"), ConfigVars))

const observe = Effect.fn("config.observe")(function* (desired: ConfigSpec, app: string) {
  const [vars, addons] = yield* Effect.all(
    [
      readVars(app),
      listAddons(app).pipe(
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

/** Re-reads the vars and PATCHes what still differs: once per group, and a no-op when already applied. */
const applyBatch = (app: string, batch: ConfigBatch) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const live = yield* api.get(appPath(app, "/config-vars"), ConfigVars)
    const patch: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(batch.set))
      if (!Object.hasOwn(live, k) || live[k] !== plain(v)) patch[k] = plain(v)
    for (const k of batch.unset) if (Object.hasOwn(live, k)) patch[k] = null
    const keys = Object.keys(patch)
    if (keys.length === 0) return done("already applied")
    yield* api.send("PATCH", appPath(app, "/config-vars"), patch, Ignored)
    return done(`applied ${keys.length} config change(s) in one release`)
  }).pipe(Effect.withSpan("config.apply"))

/** Config vars, one release per run; add-on vars are never written. */
export const configPlugin = definePlugin<ConfigSpec, ConfigLive, ConfigChange, HerokuApi>({
  name: "config",
  section: configSection,
  wave: "config",
  observe: (desired, ctx) => appNameOf(ctx, "config").pipe(Effect.flatMap((app) => observe(desired, app))),
  diff: (desired, live, _ctx, view) => diffConfig(desired, live, view),
  apply: (change) => applyBatch(change.app, change.batch),
  validate: (spec) => configProblems(spec).map((p) => ({ ...p, path: ["spec", ...p.path] })),
})
