/**
 * Migration runner overhead: applying the 40 fixture migrations with reconcile's runner (ledger row
 * in each migration's transaction, checksums, the migrations lock) against the bare floor of
 * sending the same SQL with a plain pg client in one transaction, no ledger (what any runner must do).
 * Run: `npx tsx bench/migrations.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import pg from "pg"
import { classify } from "../plugins/migrations/classify.ts"
import { readMigrations } from "../plugins/migrations/folder.ts"
import { createLedger } from "../plugins/migrations/ledger.ts"
import { applyUpTo, migrationSession, serverVersionOf } from "../plugins/migrations/runner.ts"
import { dbTimeoutsOf } from "../services/database/connect.ts"
import { layer as databaseLayer } from "../services/database/Database.ts"
import { describe, elapsed, interleave } from "./interleave.ts"
import { printResult, startServer, time } from "./support.ts"

const dir = resolve("test/fixtures/database/migrations-40")
// 40 migrations take ~0.1-0.2 s, so single runs are noisy: the median of 9 interleaved pairs
const rounds = Number(process.env.BENCH_RUNS ?? 9)
const files = await Effect.runPromise(readMigrations(dir, dir))
const last = files[files.length - 1]!.name

const ours = (url: string) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const c = yield* migrationSession(Redacted.make(url), "bench", dbTimeoutsOf({}))
        yield* createLedger(c)
        const { migrations } = classify(files, [])
        return yield* applyUpTo(c, files, migrations, {
          target: "latest",
          upTo: last,
          env: "bench",
          serverVersion: yield* serverVersionOf(c),
        })
      }),
    ).pipe(Effect.provide(databaseLayer)),
  )

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
  printResult({
    name: "Migration runner",
    lines: [
      `reconcile runner, ${files.length} migrations (median): ${r.subjectMedianMs.toFixed(0)} ms`,
      `floor: the same SQL in one transaction with a plain pg client, no ledger (median): ${r.baselineMedianMs.toFixed(0)} ms`,
      `ratio runner / floor: ${describe(r)}; ${((r.subjectMedianMs - r.baselineMedianMs) / files.length).toFixed(1)} ms per migration for the ledger, checksums and lock`,
    ],
    targets: [
      {
        target: "migrations within 1.2× the floor (median of 9 interleaved pairs)",
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
