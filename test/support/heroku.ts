/**
 * The real simulator for plugin tests: `startSim()` starts it in-process on a random loopback port
 * with the test run's Postgres, and `herokuLayer(sim)` is the HerokuApi service pointed at it over
 * real HTTP. Remember to `await sim.close()` (use `afterAll`/`afterEach`).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { type HerokuApi, layer } from "../../services/heroku/HerokuApi.ts"
import { type Simulator, startSimulator } from "../../sim/index.ts"
import type { SimulatorOptions } from "../../sim/options.ts"
import { postgresAdminUrl } from "./postgres.ts"

export const simToken = "test-token"

export const startSim = (options: Partial<SimulatorOptions> = {}): Promise<Simulator> =>
  startSimulator({
    tokens: [simToken],
    admin: true,
    provisionDelayMs: 50,
    postgres: { adminUrl: postgresAdminUrl() },
    ...options,
  })

/** HerokuApi against the simulator (or with another token, to test rejection). */
export const herokuLayer = (sim: Simulator, token = simToken): Layer.Layer<HerokuApi> =>
  layer({ baseUrl: sim.url, token }).pipe(Layer.provide(NodeHttpClient.layer))
