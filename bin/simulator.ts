/**
 * `spec.simulator`: this environment targets the local Heroku simulator, started in-process for the
 * run (with an embedded PostgreSQL for Postgres add-ons) and kept under `stateDir` between runs.
 * The section plans nothing itself; the CLI edge reads it to choose the Heroku endpoint. Its one
 * note: a heroku-redis add-on is backed by a real redis-server only when one is installed here.
 */
import { accessSync, constants } from "node:fs"
import { delimiter, join } from "node:path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { section } from "../engine/manifest/index.ts"
import { definePlugin, done } from "../engine/plugin/Plugin.ts"

export const SimulatorSpec = Schema.Struct({
  stateDir: Schema.optional(Schema.String).annotations({
    description: "where the simulator's state, slugs and PostgreSQL data live; default .reconcile/local",
  }),
})
export type SimulatorSpec = typeof SimulatorSpec.Type

export const simulatorSection = section(
  "simulator",
  SimulatorSpec,
  "run this environment against the local Heroku simulator (the zero-setup `local` environment)",
)

const onPath = (name: string): boolean =>
  (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })

/** The `as` of each heroku-redis add-on the manifest declares (present, not `absent`). */
const redisAddons = (spec: Readonly<Record<string, unknown>>): string[] => {
  const addons = Array.isArray(spec.addons) ? (spec.addons as ReadonlyArray<Record<string, unknown>>) : []
  return addons
    .filter((a) => typeof a.plan === "string" && a.plan.startsWith("heroku-redis") && a.absent !== true)
    .map((a) => (typeof a.as === "string" ? a.as : "REDIS"))
}

/** Live: the heroku-redis attachments whose local URL nothing answers (no redis-server here). */
export const simulatorPlugin = definePlugin<
  SimulatorSpec,
  { readonly unbackedRedis: readonly string[] },
  never,
  never
>({
  name: "simulator",
  section: simulatorSection,
  wave: "app",
  observe: (_desired, ctx) =>
    Effect.sync(() => ({ unbackedRedis: onPath("redis-server") ? [] : redisAddons(ctx.spec) })),
  diff: () => [],
  apply: () => Effect.succeed(done()),
  warnings: (_desired, live) =>
    live.unbackedRedis.map(
      (as) =>
        `${as}_URL is not backed locally: no redis-server is installed, so nothing answers at it (install redis-server to back it)`,
    ),
})
