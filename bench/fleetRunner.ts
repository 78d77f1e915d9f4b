/**
 * One runner of the fleet bench, as one job of an Actions matrix: its own process, its own Heroku
 * client (so its own pacing, shared by all its dry-runs), dry-runs of its share of the environments with concurrency 16.
 * It prints `ready` once loaded and starts when a line arrives on stdin.
 * Env: FLEET_SIM_URL, FLEET_TOKEN, FLEET_MANIFESTS, FLEET_ENVS (comma-separated). Prints one JSON line.
 */

import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { productPlugins as plugins } from "../bin/plugins.ts"
import { dataApiLayer } from "../services/heroku/DataApi.ts"
import { layer as herokuLayer } from "../services/heroku/HerokuApi.ts"
import { reconcile } from "./sim.ts"

const need = (name: string) => {
  const v = process.env[name]
  if (v === undefined || v === "") throw new Error(`${name} is not set`)
  return v
}

const config = { baseUrl: need("FLEET_SIM_URL"), token: need("FLEET_TOKEN") }
const dir = need("FLEET_MANIFESTS")
const envs = need("FLEET_ENVS").split(",")
// every request as it leaves this runner (after its client's pacing), with the budget last seen
const sends: Array<readonly [number, number]> = []
let lastSeen = Number.POSITIVE_INFINITY
const recording = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) =>
    client.pipe(
      HttpClient.tapRequest(() => Effect.sync(() => void sends.push([Date.now(), lastSeen]))),
      HttpClient.tap((res) =>
        Effect.sync(() => {
          const left = Number(res.headers["ratelimit-remaining"])
          if (Number.isFinite(left)) lastSeen = left
        }),
      ),
    ),
  ),
).pipe(Layer.provide(NodeHttpClient.layer))
// one client for the whole runner, built once, so its pacing sees every request the runner sends
// (a layer built per dry-run would start each environment's client with no budget seen)
const client = ManagedRuntime.make(
  Layer.mergeAll(herokuLayer(config), dataApiLayer(config)).pipe(Layer.provide(recording)),
)
const layer = Layer.succeedContext((await client.runtime()).context)

// started: wait for the word, so every runner's clock starts together after loading its code
console.log("ready")
await new Promise<void>((ok) => process.stdin.once("data", () => ok()))

let next = 0
let drifted = 0
const failures: Array<string> = []
const t0 = performance.now()
const cpu0 = process.cpuUsage()
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < envs.length) {
      const env = envs[next++]!
      try {
        const r = await reconcile(layer, plugins, dir, env, true)
        if (r.plan.steps.length > 0) drifted++
      } catch (e) {
        failures.push(`${env}: ${String(e).split("\n")[0]}`)
      }
    }
  }),
)
const cpu = process.cpuUsage(cpu0)
await client.dispose()
const cpuMs = (cpu.user + cpu.system) / 1000
console.log(
  JSON.stringify({ envs: envs.length, drifted, failures, ms: performance.now() - t0, cpuMs, sends }),
)
