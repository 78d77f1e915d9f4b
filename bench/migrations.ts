/**
 * Migration runner overhead: applying the 40 fixture migrations with reconcile's runner (ledger row
 * in each migration's transaction, checksums, the migrations lock) against the bare floor of
 * sending each migration.sql as one simple query with no ledger at all (what any runner must do).
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
import { median, startServer, time } from "./support.ts"

const dir = resolve("test/fixtures/database/migrations-40")
const rounds = Number(process.env.BENCH_RUNS ?? 3)
const files = await Effect.runPromise(readMigrations(dir))
const last = files[files.length - 1]!.name

const ours = (url: string) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const c = yield* migrationSession(Redacted.make(url), "bench")
        yield* createLedger(c)
        const { migrations } = classify(files, [])
        return yield* applyUpTo(c, files, migrations, {
          target: "latest",
          upTo: last,
          env: "bench",
          serverVersion: yield* serverVersionOf(c),
        })
      }),
    ),
  )

const bare = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  for (const f of files) await c.query(f.sql)
  await c.end()
}

const server = await startServer()
try {
  const oursMs: Array<number> = []
  const bareMs: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const a = await server.database()
    oursMs.push(await time(() => ours(a)))
    const b = await server.database()
    bareMs.push(await time(() => bare(b)))
  }
  const o = median(oursMs)
  const b = median(bareMs)
  console.log(`reconcile runner, ${files.length} migrations (median of ${rounds}): ${o.toFixed(0)} ms`)
  console.log(`bare simple queries, no ledger (median of ${rounds}): ${b.toFixed(0)} ms`)
  console.log(
    `ratio runner / bare: ${(o / b).toFixed(2)}× (${((o - b) / files.length).toFixed(1)} ms per migration for the ledger, checksums and lock)`,
  )
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await server.close()
}
