/**
 * Shared pieces of the reliability suites: the canary secrets every manifest reads, a seeded PRNG,
 * a bounded-concurrency map, the services a full apply needs against a simulator, every rendering
 * of a plan or summary, and the secret scan run over everything a suite captured.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Summary } from "../../engine/apply/Summary.ts"
import { type SecretEnv, secretEnvFromRecord } from "../../engine/manifest/index.ts"
import { Plan } from "../../engine/plan/Plan.ts"
import { RunState } from "../../engine/plugin/RunState.ts"
import { renderPlan, renderSummary } from "../../engine/render/index.ts"
import { plainStyle } from "../../engine/render/style.ts"
import { type Database, layer as databaseLayer } from "../../services/database/Database.ts"
import { dataApiLayer, type HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { Simulator } from "../../sim/index.ts"
import type { ReconcileResult } from "../support/engine.ts"
import { herokuLayer, simToken } from "../support/heroku.ts"

export { mulberry32, type Prng } from "../../sim/faults/prng.ts"

/** The canary secrets (read with `fromEnv`): none may ever appear in any captured output. */
export const canaries = {
  JWT_SECRET: "canary-jwt-reliability-7c41f2e9",
  DB_PASSWORD: "canary-dbpw-reliability-03ad5b61",
} as const

/** Maps `items` through `f`, at most `limit` at once, keeping order. */
export const pool = async <A, B>(
  items: ReadonlyArray<A>,
  limit: number,
  f: (a: A, i: number) => Promise<B>,
): Promise<Array<B>> => {
  const out: Array<B> = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await f(items[i] as A, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** Replaces the default logger: every log line (with its annotations) goes to `into`, not stdout. */
export const captureLogs = (into: Array<string>): Layer.Layer<never> =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message, annotations }) => {
      const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
      const notes = [...HashMap.toEntries(annotations)].map(([k, v]) => `${k}=${String(v)}`).join(" ")
      into.push(`${new Date().toISOString().slice(14, 23)} ${logLevel.label} ${text} ${notes}`)
    }),
  )

/** The Platform API, the Data API (both the simulator), the canary secrets; logs go to `logs`. */
export const simServices = (
  sim: Simulator,
  logs: Array<string>,
  secrets: Record<string, string> = canaries,
): Layer.Layer<HerokuApi | HerokuDataApi | Database | SecretEnv | RunState> =>
  Layer.mergeAll(
    herokuLayer(sim),
    dataApiLayer({ baseUrl: sim.url, token: simToken }).pipe(Layer.provide(NodeHttpClient.layer)),
    databaseLayer,
    secretEnvFromRecord(secrets),
    captureLogs(logs),
    RunState.layer,
  )

/** Every form a plan or summary is shown or stored in (text, markdown, JSON, the encoded data). */
export const renderings = ({ plan, summary }: ReconcileResult): ReadonlyArray<string> => [
  JSON.stringify(Schema.encodeSync(Plan)(plan)),
  ...(["text", "markdown", "json"] as const).map((f) => renderPlan(plan, f, plainStyle)),
  ...(summary === undefined
    ? []
    : [
        JSON.stringify(Schema.encodeSync(Summary)(summary)),
        ...(["text", "markdown", "json"] as const).map((f) => renderSummary(summary, f, plainStyle)),
      ]),
]

/** Fails naming the first output (by index and excerpt) that contains a canary value. */
export const expectNoCanary = (outputs: ReadonlyArray<string>, label: string): void => {
  const values = Object.values(canaries)
  const leaks = outputs.flatMap((text, i) =>
    values
      .filter((v) => text.includes(v))
      .map((v) => `${label}[${i}]: ${text.slice(Math.max(0, text.indexOf(v) - 120), text.indexOf(v) + 40)}`),
  )
  expect(leaks, leaks.join("\n")).toEqual([])
  // the scan must have had something to scan
  expect(outputs.join("").length).toBeGreaterThan(0)
}
