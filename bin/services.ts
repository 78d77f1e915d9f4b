/**
 * The services the plugins need for one run. An environment with `spec.simulator` gets the local
 * Heroku simulator, started in-process with an embedded PostgreSQL whose port stays fixed between
 * runs (add-on URLs point at it); every other environment gets the real API from HEROKU_API_URL
 * and HEROKU_API_KEY. Nothing here starts unless a run needs it.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
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
import { type LocalEndpoint, localEndpoint } from "./local.ts"
import type { SimulatorSpec } from "./simulator.ts"

export const startLocal = (spec: SimulatorSpec) =>
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
const apis = (
  platform: HerokuConfig | PluginError,
  data: HerokuConfig | PluginError,
  http: Layer.Layer<HttpClient.HttpClient>,
) =>
  Layer.mergeAll(
    isPluginError(platform) ? Layer.succeed(HerokuApi, unavailable(platform)) : herokuLayer(platform),
    isPluginError(data) ? Layer.succeed(HerokuDataApi, unavailable(data)) : dataApiLayer(data),
  ).pipe(Layer.provide(http))

/** What the dashboard changes (issue 17): its budgeted HTTP client, and local simulators it keeps up. */
export interface ServiceOptions {
  readonly http?: Layer.Layer<HttpClient.HttpClient>
  readonly local?: (spec: SimulatorSpec) => Effect.Effect<LocalEndpoint, PluginError, Scope.Scope>
}

/** The Heroku Platform and Data APIs (and the runner's secrets) for one run of `ctx`'s environment. */
export const servicesFor = (
  ctx: RunContext,
  options: ServiceOptions = {},
): Layer.Layer<PluginServices, PluginError> => {
  const local = ctx.spec.simulator as SimulatorSpec | undefined
  const http = options.http ?? NodeHttpClient.layer
  const heroku =
    local === undefined
      ? apis(herokuConfigFrom(process.env), dataApiConfigFrom(process.env), http)
      : Layer.unwrapScoped(
          Effect.map((options.local ?? startLocal)(local), (endpoint) => {
            const config = { baseUrl: endpoint.url, token: endpoint.token }
            return apis(config, config, http)
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
