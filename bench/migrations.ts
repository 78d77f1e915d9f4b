/**
 * Migration runner overhead: applying the 40 fixture migrations as a first deploy does (one plugin
 * step per migration, in order, sharing the run's session: the migrations lock, the ledger created,
 * checksums, a ledger row per migration; an empty schema's wave is one transaction with a savepoint
 * per migration) against the bare floor of sending the same SQL with a plain pg client in one
 * transaction, no ledger (what any runner must do). Also shown, not a target: the same migrations
 * on a database whose ledger exists (a later deploy), where each migration commits on its own.
 * Run: `npx tsx bench/migrations.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import pg from "pg"
import { PluginError, type RunContext, RunState } from "../engine/index.ts"
import { applyMigration } from "../plugins/migrations/apply.ts"
import { readMigrations } from "../plugins/migrations/folder.ts"
import { createLedgerSql } from "../plugins/migrations/ledger.ts"
import { layer as databaseLayer } from "../services/database/Database.ts"
import { HerokuApi, unavailable } from "../services/heroku/HerokuApi.ts"
import { describe, elapsed, interleave } from "./interleave.ts"
import { printResult, run, startServer, time } from "./support.ts"

const dir = resolve("test/fixtures/database/migrations-40")
// 40 migrations take ~0.1-0.2 s, so single runs are noisy: the median of 9 interleaved pairs
const rounds = Number(process.env.BENCH_RUNS ?? 9)
const files = await Effect.runPromise(readMigrations(dir, dir))
const noApi = Layer.succeed(
  HerokuApi,
  unavailable(new PluginError({ reason: "Unauthorized", detail: "no API: the URL is given" })),
)

/** As a deploy runs them: one plugin step per migration, in order, in one run's state. */
const ours = (url: string) => {
  const ctx: RunContext = {
    env: "bench",
    spec: {
      database: {
        url: Redacted.make(url),
        backup: { provider: "none" },
        migrations: { dir, target: "latest" },
      },
    },
    manifestDir: dir,
    dryRun: false,
  }
  return Effect.runPromise(
    Effect.forEach(files, (f) => applyMigration(f.name, ctx), { discard: true }).pipe(
      Effect.provide(RunState.layer),
      Effect.provide(databaseLayer),
      Effect.provide(noApi),
    ),
  )
}

/** The floor: every migration's SQL in one transaction (a CONCURRENTLY one, which cannot, between). */
const bare = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  let open = false
  for (const f of files) {
    const alone = /\bCONCURRENTLY\b/i.test(f.sql)
    if (alone && open) await c.query("COMMIT")
    if (!alone && !open) await c.query("BEGIN")
    open = !alone
    await c.query(f.sql)
  }
  if (open) await c.query("COMMIT")
  await c.end()
}

const server = await startServer()
try {
  // a fresh database for every run (created untimed); the runner and the floor alternate
  const r = await interleave({
    pairs: rounds,
    subject: async () => {
      const url = await server.database()
      return elapsed(await time(() => ours(url)))
    },
    baseline: async () => {
      const url = await server.database()
      return elapsed(await time(() => bare(url)))
    },
  })
  // a later deploy: the ledger exists (created untimed), so each migration commits on its own
  const later = await interleave({
    pairs: Math.max(7, rounds - 2),
    subject: async () => {
      const url = await server.database()
      await run(url, createLedgerSql)
      return elapsed(await time(() => ours(url)))
    },
    baseline: async () => {
      const url = await server.database()
      return elapsed(await time(() => bare(url)))
    },
  })
  printResult({
    name: "Migration runner",
    lines: [
      `reconcile runner, ${files.length} migrations on an empty schema (a first deploy: one transaction, a savepoint each) (median): ${r.subjectMedianMs.toFixed(0)} ms`,
      `floor: the same SQL in one transaction with a plain pg client, no ledger (median): ${r.baselineMedianMs.toFixed(0)} ms`,
      `ratio runner / floor: ${describe(r)}; ${((r.subjectMedianMs - r.baselineMedianMs) / files.length).toFixed(1)} ms per migration for the ledger, checksums and lock`,
      `not a target: the same ${files.length} migrations on a database whose ledger exists (a later deploy: a commit per migration, so locks on live tables are held one migration long): ${later.subjectMedianMs.toFixed(0)} ms; ratio to the floor ${describe(later)}`,
    ],
    targets: [
      {
        target:
          "40 migrations as a first deploy applies them, within 1.2× the floor (median of 9 interleaved pairs)",
        figure: `${r.ratio.toFixed(2)}× (spread ${r.spread.min.toFixed(2)}–${r.spread.max.toFixed(2)}×)`,
        met: r.ratio <= 1.2,
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
