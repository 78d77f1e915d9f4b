/**
 * Migration lint cost: what observing 40 pending migrations costs with the safety judgement (one
 * Squawk run over the files, the touched tables' sizes, the Prisma schema) against the same observe
 * without it (folder + ledger only). The difference is what lint adds to a dry-run.
 * Run: `npx tsx bench/lint.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { PluginError, type RunContext } from "../engine/index.ts"
import { readMigrations } from "../plugins/migrations/folder.ts"
import { liveOf, observeLedger, observeMigrations } from "../plugins/migrations/observe.ts"
import { layer as databaseLayer } from "../services/database/Database.ts"
import type { DatabaseSpec } from "../services/database/section.ts"
import { HerokuApi, unavailable } from "../services/heroku/HerokuApi.ts"
import { describe, interleave, median } from "./interleave.ts"
import { printResult, startServer } from "./support.ts"

const dir = resolve("test/fixtures/database/migrations-40")
const rounds = Number(process.env.BENCH_RUNS ?? 9)
const api = Layer.merge(
  Layer.succeed(HerokuApi, unavailable(new PluginError({ reason: "Unauthorized", detail: "no API" }))),
  databaseLayer,
)

const server = await startServer()
try {
  const url = await server.database()
  const db = {
    url: Redacted.make(url),
    backup: { provider: "none" },
    migrations: { dir, target: "latest" },
  } as unknown as DatabaseSpec
  const ctx: RunContext = { env: "bench", spec: { database: db }, manifestDir: dir, dryRun: true }
  const without = () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const files = yield* readMigrations(dir, dir)
        return liveOf(files, yield* observeLedger(db, ctx))
      }).pipe(Effect.provide(api)),
    )
  const withLint = () => Effect.runPromise(observeMigrations(db, ctx).pipe(Effect.provide(api)))
  const check = await withLint()
  const findings = Object.values(check.safety?.findings ?? {}).flat().length
  if (check.safety?.unavailable !== undefined) throw new Error(check.safety.unavailable)
  const r = await interleave({ subject: withLint, baseline: without, pairs: rounds })
  // the median of the pairwise differences: what lint adds to the same dry-run at the same moment
  const added = median(r.subjectMs.map((ms, i) => ms - r.baselineMs[i]!))
  printResult({
    name: "Migration lint",
    lines: [
      `observe 40 pending migrations without lint (median): ${r.baselineMedianMs.toFixed(0)} ms`,
      `with Squawk, live facts and the schema (${findings} findings): ${r.subjectMedianMs.toFixed(0)} ms`,
      `lint adds ${added.toFixed(0)} ms to a dry-run (median of the pairwise differences); ratio with / without ${describe(r)}`,
    ],
    targets: [
      {
        target: "lint adds under 0.5 s",
        figure: `${added.toFixed(0)} ms`,
        met: added < 500,
        noisy: r.noisy,
      },
    ],
  })
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await server.close()
}
