/**
 * The simulator for the benchmarks: started in-process on loopback with the bench Postgres server,
 * web URLs pointing at a loopback stub that answers the health probe (no real dynos), and the
 * whole reconcile flow run in-process (test/support/engine.ts) with every plugin of the registry.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { productPlugins as plugins } from "../bin/plugins.ts"
import { converge } from "../engine/apply/converge.ts"
import type { Summary } from "../engine/apply/Summary.ts"
import { openSession, planSession } from "../engine/cli/session.ts"
import { secretEnvFromRecord } from "../engine/manifest/index.ts"
import type { Plan } from "../engine/plan/Plan.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import { RunState } from "../engine/plugin/RunState.ts"
import type { PluginServices } from "../plugins/index.ts"
import { layer as databaseLayer } from "../services/database/Database.ts"
import { dataApiLayer, type HerokuDataApi } from "../services/heroku/DataApi.ts"
import { type HerokuApi, layer as herokuLayer } from "../services/heroku/HerokuApi.ts"
import { type Simulator, type SimulatorOptions, startSimulator } from "../sim/index.ts"
import { type CountedCall, depthCounting } from "./depth.ts"

export const token = "bench-token"

export interface ReconcileResult {
  readonly plan: Plan
  readonly summary: Summary | undefined
}

/** The whole flow in-process (as test/support/engine.ts), quiet below warnings. */
export const reconcile = (
  layer: Layer.Layer<HerokuApi | HerokuDataApi>,
  list: ReadonlyArray<AnyPlugin<PluginServices>>,
  dir: string,
  env: string,
  dryRun: boolean,
): Promise<ReconcileResult> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const session = yield* openSession({ plugins: list, dir, env, dryRun, allowDestroy: false })
      const key = "bench-fingerprint-key"
      const { plan, planned } = yield* planSession(session, key)
      if (dryRun) return { plan, summary: undefined }
      const summary = yield* converge({ ...session, plan, planned, fingerprintKey: key })
      return { plan, summary }
    }).pipe(
      Effect.provide(layer),
      Effect.provide(secretEnvFromRecord({})),
      Effect.provide(RunState.layer),
      Effect.provide(databaseLayer),
      Logger.withMinimumLogLevel(LogLevel.Warning),
    ),
  )

export interface BenchSim {
  readonly sim: Simulator
  /** Every Heroku call of `run`, with its causal depth (bench/depth.ts); empty it between runs. */
  readonly calls: Array<CountedCall>
  readonly run: (dir: string, env: string, dryRun: boolean) => Promise<ReconcileResult>
  readonly close: () => Promise<void>
}

/** Starts the simulator (add-on databases on `adminUrl`) and a stub web server for health probes. */
export const startBenchSim = async (
  adminUrl: string,
  options: Partial<SimulatorOptions> = {},
): Promise<BenchSim> => {
  const stub = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}')
  })
  await new Promise<void>((ok) => stub.listen(0, "127.0.0.1", () => ok()))
  const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/`
  const sim = await startSimulator({
    tokens: [token],
    postgres: { adminUrl },
    provisionDelayMs: 50,
    dynoRunner: {
      apply: async () => {},
      remove: async () => {},
      close: async () => {},
      webUrl: () => stubUrl,
    },
    onError: () => {},
    ...options,
  })
  const config = { baseUrl: sim.url, token }
  const calls: Array<CountedCall> = []
  const layer = depthCounting(
    Layer.mergeAll(herokuLayer(config), dataApiLayer(config)).pipe(Layer.provide(NodeHttpClient.layer)),
    calls,
  )
  return {
    sim,
    calls,
    run: (dir, env, dryRun) => reconcile(layer, plugins, dir, env, dryRun),
    close: async () => {
      await sim.close()
      stub.closeAllConnections()
      await new Promise((ok) => stub.close(ok))
    },
  }
}

/** Round trips deep: the longest chain of requests in the log where each starts after the last ended. */
export const depthOf = (log: ReadonlyArray<{ readonly at: string; readonly durationMs: number }>): number => {
  const spans = log
    .map((e) => ({ end: Date.parse(e.at), start: Date.parse(e.at) - e.durationMs }))
    .sort((a, b) => a.end - b.end)
  const best: Array<number> = []
  spans.forEach((s, i) => {
    let d = 1
    for (let j = 0; j < i; j++) if (spans[j]!.end <= s.start + 2) d = Math.max(d, best[j]! + 1)
    best.push(d)
  })
  return Math.max(0, ...best)
}

/** Runs `f` and returns its result with the sim's requests and releases created during it. */
export const counted = async <A>(sim: Simulator, f: () => Promise<A>) => {
  sim.resetObservations()
  const t0 = performance.now()
  const value = await f()
  const ms = performance.now() - t0
  const c = sim.counters()
  const log = sim.requestLog()
  return {
    value,
    ms,
    requests: c.requests,
    releases: Object.values(c.releasesByApp).reduce((a, b) => a + b, 0),
    depth: depthOf(log),
    log,
  }
}
