/**
 * The config plugin (wave `config`): sets declared vars, prunes undeclared ones when asked
 * (destructive; never add-on vars), all in one PATCH, hence one release, per run; and checks
 * `required` keys after add-ons exist and before anything deploys. Observation: the config vars
 * and the add-ons' var names (which vars an add-on owns).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { definePlugin, done, PluginError } from "../../engine/index.ts"
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
  if (clashes.length > 0) {
    return yield* new PluginError({
      reason: "Invalid",
      detail: `config.vars declares vars that add-ons set: ${clashes.join(", ")}; remove them from config.vars`,
    })
  }
  const live: ConfigLive = {
    app,
    appExists: Option.isSome(vars),
    vars: Object.fromEntries(
      Object.entries(Option.getOrElse(vars, () => ({}))).map(([k, v]) => [k, Redacted.make(v)]),
    ),
    addonOwned: addons.flatMap((a) => a.configVars),
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

/** Fails `Invalid`, naming the keys, while any required key is missing. */
const checkRequired = (app: string, keys: ReadonlyArray<string>) =>
  Effect.flatMap(HerokuApi, (api) => api.get(appPath(app, "/config-vars"), ConfigVars)).pipe(
    Effect.flatMap((live) => {
      const missing = keys.filter((k) => !Object.hasOwn(live, k))
      return missing.length === 0
        ? Effect.succeed(done(`required config vars present: ${keys.join(", ")}`))
        : Effect.fail(
            new PluginError({
              reason: "Invalid",
              detail:
                `required config vars are missing: ${missing.join(", ")} ` +
                "(declare them in config.vars, or add the add-on that sets them)",
            }),
          )
    }),
  )

/** Config vars, one release per run; add-on vars are never written. */
export const configPlugin = definePlugin<ConfigSpec, ConfigLive, ConfigChange, HerokuApi>({
  name: "config",
  section: configSection,
  wave: "config",
  observe: (desired, ctx) => appNameOf(ctx, "config").pipe(Effect.flatMap((app) => observe(desired, app))),
  diff: (desired, live) => diffConfig(desired, live),
  apply: (change) =>
    change.kind === "batch" ? applyBatch(change.app, change.batch) : checkRequired(change.app, change.keys),
  validate: (spec) => configProblems(spec).map((p) => ({ ...p, path: ["spec", ...p.path] })),
})
