/** Recording never fails a run: an unreachable or missing database is a note, not an error. */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { PluginError } from "../engine/index.ts"
import { HerokuApi, unavailable } from "../services/heroku/HerokuApi.ts"
import { recordRun } from "./record.ts"

const noApi = Layer.succeed(HerokuApi, unavailable(PluginError.invalid("no API in this test")))

const run = {
  kind: "apply" as const,
  startedAt: new Date("2026-12-01T10:00:00Z"),
  finishedAt: new Date("2026-12-01T10:01:00Z"),
  outcome: "succeeded" as const,
  manifestDigest: "sha256:abc",
  release: "v3",
  backup: null,
  summary: {},
}

const ctxWith = (spec: Record<string, unknown>) => ({ env: "staging", spec, manifestDir: ".", dryRun: false })

it.effect("an unreachable database is a note naming the host, never a failure or the password", () =>
  Effect.gen(function* () {
    const spec = { database: { url: Redacted.make("postgres://u:hunter2pass@127.0.0.1:1/db") } }
    const notes = yield* recordRun(ctxWith(spec), {}, run)
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/^run history not recorded: cannot connect to Postgres at 127\.0\.0\.1:1\/db/)
    expect(notes.join("\n")).not.toContain("hunter2pass")
  }).pipe(Effect.provide(noApi)),
)

it.effect("no database section, or no database yet, is a note", () =>
  Effect.gen(function* () {
    expect(yield* recordRun(ctxWith({}), {}, run)).toEqual([
      "run history not recorded: the manifest has no database section to keep it in",
    ])
    const notes = yield* recordRun(
      ctxWith({ app: { name: "x" }, database: { url: { fromConfigVar: "DATABASE_URL" } } }),
      {},
      run,
    )
    expect(notes).toEqual(["run history not recorded: no API in this test"])
  }).pipe(Effect.provide(noApi)),
)
