/**
 * `spec.simulator`: this environment targets the local Heroku simulator, started in-process for the
 * run (with an embedded PostgreSQL for Postgres add-ons) and kept under `stateDir` between runs.
 * The section plans nothing itself; the CLI edge reads it to choose the Heroku endpoint.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifest/index.ts"
import { definePlugin, done } from "../../engine/plugin/Plugin.ts"

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

export const simulatorPlugin = definePlugin<SimulatorSpec, null, never, never>({
  name: "simulator",
  section: simulatorSection,
  wave: "app",
  observe: () => Effect.succeed(null),
  diff: () => [],
  apply: () => Effect.succeed(done()),
})
