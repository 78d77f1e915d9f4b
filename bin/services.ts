/**
 * The services the plugins need for one run. An environment with `spec.simulator` gets the local
 * Heroku simulator, started in-process with an embedded PostgreSQL whose port stays fixed between
 * runs (add-on URLs point at it); every other environment gets the real API from HEROKU_API_URL
 * and HEROKU_API_KEY. Nothing here starts unless a run needs it.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { isPluginError, PluginError } from "../engine/errors.ts"
import { secretEnvFromProcess } from "../engine/manifest/index.ts"
import type { RunContext } from "../engine/plugin/Plugin.ts"
import { RunState } from "../engine/plugin/RunState.ts"
import { rollbackBackupsLayer } from "../plugins/backup/rollbackBackups.ts"
import type { PluginServices } from "../plugins/index.ts"
import { layer as databaseLayer } from "../services/database/Database.ts"
import { type HerokuConfig, herokuConfigFrom } from "../services/heroku/config.ts"
import { dataApiConfigFrom, dataApiLayer, HerokuDataApi } from "../services/heroku/DataApi.ts"
import { HerokuApi, layer as herokuLayer, unavailable } from "../services/heroku/HerokuApi.ts"
import { localEndpoint } from "./local.ts"
import type { SimulatorSpec } from "./simulator.ts"

const startLocal = (spec: SimulatorSpec) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => localEndpoint(spec.stateDir ?? ".reconcile/local"),
      catch: (e) =>
        new PluginError({
          reason: "Unavailable",
          detail: `cannot start the local simulator: ${(e as Error).message}`,
        }),
    }),
    (endpoint) => Effect.promise(() => endpoint.close()),
  )

/** The Platform and Data APIs for a configuration (or, without one, services that explain why not). */
const apis = (platform: HerokuConfig | PluginError, data: HerokuConfig | PluginError) =>
  Layer.mergeAll(
    isPluginError(platform) ? Layer.succeed(HerokuApi, unavailable(platform)) : herokuLayer(platform),
    isPluginError(data) ? Layer.succeed(HerokuDataApi, unavailable(data)) : dataApiLayer(data),
  ).pipe(Layer.provide(NodeHttpClient.layer))

/** The Heroku Platform and Data APIs (and the runner's secrets) for one run of `ctx`'s environment. */
export const servicesFor = (ctx: RunContext): Layer.Layer<PluginServices, PluginError> => {
  const local = ctx.spec.simulator as SimulatorSpec | undefined
  const heroku =
    local === undefined
      ? apis(herokuConfigFrom(process.env), dataApiConfigFrom(process.env))
      : Layer.unwrapScoped(
          Effect.map(startLocal(local), (endpoint) => {
            const config = { baseUrl: endpoint.url, token: endpoint.token }
            return apis(config, config)
          }),
        )
  // rollback asks where the backup before a release's migrations is; the backup plugin knows
  // a fresh per-run state each time: nothing a plugin remembers outlives the run
  return Layer.mergeAll(
    Layer.provideMerge(rollbackBackupsLayer, heroku),
    databaseLayer,
    secretEnvFromProcess,
    RunState.layer,
  )
}
