/**
 * One runner of the fleet bench, as one job of an Actions matrix: its own process, its own Heroku
 * client (so its own pacing), dry-runs of its share of the environments with concurrency 16.
 * Env: FLEET_SIM_URL, FLEET_TOKEN, FLEET_MANIFESTS, FLEET_ENVS (comma-separated). Prints one JSON line.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
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
const layer = Layer.mergeAll(herokuLayer(config), dataApiLayer(config)).pipe(
  Layer.provide(NodeHttpClient.layer),
)

let next = 0
let drifted = 0
const failures: Array<string> = []
const t0 = performance.now()
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
console.log(JSON.stringify({ envs: envs.length, drifted, failures, ms: performance.now() - t0 }))
