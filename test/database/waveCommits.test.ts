/**
 * A first deploy's migrations wave (an empty schema) commits as one transaction with a savepoint per
 * migration (plugins/migrations/commits.ts): nobody sees part of it, a failure keeps what came before
 * it, a migration that depends on its own transaction ends the sharing, and a wave stopped between
 * its steps still commits what it applied.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { PluginError, type RunContext, RunState } from "../../engine/index.ts"
import { applyMigration } from "../../plugins/migrations/apply.ts"
import { layer as databaseLayer } from "../../services/database/Database.ts"
import { HerokuApi, unavailable } from "../../services/heroku/HerokuApi.ts"
import { reconcile } from "../support/engine.ts"
import {
  databasePlugins,
  manifestDir,
  release,
  scratchDatabases,
  scratchDir,
  servicesLayer,
  sql,
} from "./support.ts"

const fresh = scratchDatabases()

const migrationName = (i: number) => `2025020100${String(i).padStart(2, "0")}00_w${i}`

/** A folder with one migration per body, named in order. */
const folder = (bodies: ReadonlyArray<string>) => {
  const dir = scratchDir("wave-")
  bodies.forEach((body, i) => {
    mkdirSync(join(dir, migrationName(i + 1)))
    writeFileSync(join(dir, migrationName(i + 1), "migration.sql"), body)
  })
  return dir
}

const database = () => fresh("wave")

const apply = (dir: string, url: string, env: string) =>
  reconcile({
    plugins: databasePlugins,
    dir: join(
      manifestDir({
        [env]: release(
          env,
          `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${dir}", target: latest }\n`,
        ),
      }),
      "manifests",
    ),
    env,
    layer: servicesLayer({ DB_URL: url }),
    secrets: { DB_URL: url },
  })

/** A run's context for calling the plugin's apply step directly, as the executor does. */
const stepContext = (env: string, dir: string, url: string): RunContext => ({
  env,
  spec: {
    database: {
      url: Redacted.make(url),
      backup: { provider: "none" },
      migrations: { dir, target: "latest" },
    },
  },
  manifestDir: dir,
  dryRun: false,
})

/** What the steps need: one run's state, real Postgres, no Heroku API. */
const stepLayer = Layer.mergeAll(
  RunState.layer,
  databaseLayer,
  Layer.succeed(HerokuApi, unavailable(new PluginError({ reason: "Unauthorized", detail: "no API" }))),
)

const ledger = (url: string) =>
  sql<{ name: string; finished: boolean }>(
    url,
    "SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY started_at, migration_name",
  )

describe("a first deploy's wave commits as one", () => {
  it("nobody sees any of it until the wave's last migration commits", async () => {
    const db = await database()
    const key = Math.floor(Math.random() * 1e9)
    const dir = folder([
      "CREATE TABLE w1 (id int);",
      "CREATE TABLE w2 (id int);",
      `SELECT pg_advisory_xact_lock(${key});\nCREATE TABLE w3 (id int);`,
      "CREATE TABLE w4 (id int);",
    ])
    // the third migration waits on a lock this test holds: the wave is open, two migrations in
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [key])
      const run = apply(dir, db.url, "wave-open")
      let waiting = false
      for (let i = 0; i < 2400 && !waiting; i++) {
        const r = await holder.query(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
          [key],
        )
        waiting = r.rows[0]?.n === 1
        if (!waiting) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting).toBe(true)
      const seen = await holder.query(
        "SELECT to_regclass('w1')::text AS w1, to_regclass('w2')::text AS w2, to_regclass('_prisma_migrations')::text AS l",
      )
      expect(seen.rows).toEqual([{ w1: null, w2: null, l: null }])
      await holder.query("SELECT pg_advisory_unlock($1)", [key])
      const { summary } = await run
      expect(summary?.converged).toBe(true)
    } finally {
      await holder.end()
    }
    expect((await ledger(db.url)).map((r) => r.name)).toEqual([1, 2, 3, 4].map(migrationName))
    expect(await sql(db.url, "SELECT to_regclass('w4')::text AS t")).toEqual([{ t: "w4" }])
  }, 120_000)

  it("a failure keeps the migrations before it and records itself, as Prisma does", async () => {
    const db = await database()
    const dir = folder([
      "CREATE TABLE w1 (id int);",
      "CREATE TABLE w2 (id int);",
      "CREATE TABLE w3 (id int);\nSELECT * FROM no_such_table;",
      "CREATE TABLE w4 (id int);",
    ])
    const { summary } = await apply(dir, db.url, "wave-fail")
    expect(summary?.results.filter((r) => r.plugin === "migrations").map((r) => r.status)).toEqual([
      "succeeded",
      "succeeded",
      "failed",
      "skipped",
    ])
    expect(
      await sql(
        db.url,
        "SELECT to_regclass('w1')::text AS a, to_regclass('w2')::text AS b, to_regclass('w3')::text AS c",
      ),
    ).toEqual([{ a: "w1", b: "w2", c: null }])
    expect(await ledger(db.url)).toEqual([
      { name: migrationName(1), finished: true },
      { name: migrationName(2), finished: true },
      { name: migrationName(3), finished: false },
    ])
  }, 60_000)

  it("a failing first migration still leaves the ledger, holding its failed row", async () => {
    const db = await database()
    const dir = folder([
      "CREATE TABLE w1 (id int);\nSELECT * FROM no_such_table;",
      "CREATE TABLE w2 (id int);",
    ])
    const { summary } = await apply(dir, db.url, "wave-first-fails")
    expect(summary?.results.filter((r) => r.plugin === "migrations").map((r) => r.status)).toEqual([
      "failed",
      "skipped",
    ])
    expect(await ledger(db.url)).toEqual([{ name: migrationName(1), finished: false }])
    expect(await sql(db.url, "SELECT to_regclass('w1')::text AS t")).toEqual([{ t: null }])
  }, 60_000)

  it("a statement that runs alone commits the wave before it, ledger and rows first; each row has its own times", async () => {
    const db = await database()
    const dir = folder([
      "CREATE TABLE w1 (id int);\nCREATE INDEX CONCURRENTLY w1_id ON w1 (id);",
      "CREATE TABLE w2 (id int);",
      "CREATE INDEX CONCURRENTLY w2_id ON w2 (id);",
      "CREATE TABLE w4 (id int);",
      "CREATE TABLE w5 (id int);",
    ])
    const { summary } = await apply(dir, db.url, "wave-alone")
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    expect((await ledger(db.url)).map((r) => r.name)).toEqual([1, 2, 3, 4, 5].map(migrationName))
    const times = await sql<{ ok: boolean; finished: string }>(
      db.url,
      "SELECT finished_at >= started_at AS ok, finished_at::text AS finished FROM _prisma_migrations ORDER BY started_at",
    )
    expect(times.every((t) => t.ok)).toBe(true)
    // written together at the wave's commit, the rows still say when each migration finished
    expect(new Set(times.map((t) => t.finished)).size).toBe(5)
    expect(
      await sql(db.url, "SELECT to_regclass('w1_id')::text AS a, to_regclass('w2_id')::text AS b"),
    ).toEqual([{ a: "w1_id", b: "w2_id" }])
  }, 60_000)

  it("a migration with a transaction-scoped SET commits alone, and so do the ones after it", async () => {
    const db = await database()
    const schema = `other_${Math.floor(Math.random() * 1e9)}`
    const dir = folder([
      "CREATE TABLE w1 (id int);",
      `CREATE SCHEMA ${schema};\nSET LOCAL search_path TO ${schema};\nCREATE TABLE inside (id int);`,
      "CREATE TABLE after_set (id int);",
    ])
    const { summary } = await apply(dir, db.url, "wave-set")
    expect(summary?.converged).toBe(true)
    // sharing the wave's transaction, the SET LOCAL would have put after_set into the other schema
    expect(
      await sql(
        db.url,
        `SELECT to_regclass('public.after_set')::text AS here, to_regclass('${schema}.after_set')::text AS there,
                to_regclass('${schema}.inside')::text AS inside`,
      ),
    ).toEqual([{ here: "after_set", there: null, inside: `${schema}.inside` }])
    expect((await ledger(db.url)).map((r) => r.name)).toEqual([1, 2, 3].map(migrationName))
  }, 60_000)

  it("a step cut off while its migration runs ends the wave's session: the retry applies the wave again, nothing twice", async () => {
    const db = await database()
    const key = Math.floor(Math.random() * 1e9)
    const dir = folder([
      "CREATE TABLE w1 (id int);",
      `SELECT pg_advisory_xact_lock(${key});\nCREATE TABLE w2 (id int);`,
      "CREATE TABLE w3 (id int);",
    ])
    const ctx = stepContext("wave-cut", dir, db.url)
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [key])
      const [first, second, third] = [1, 2, 3].map(migrationName) as [string, string, string]
      const program = Effect.gen(function* () {
        yield* applyMigration(first, ctx)
        // as the executor's step timeout cuts off an attempt: the second migration waits on the lock
        const cut = yield* applyMigration(second, ctx).pipe(Effect.timeout("1 second"), Effect.either)
        // let go: a query still running in the old session would now create w2 in the wave
        yield* Effect.promise(() => holder.query("SELECT pg_advisory_unlock($1)", [key]))
        yield* Effect.sleep("300 millis")
        yield* applyMigration(second, ctx)
        yield* applyMigration(third, ctx)
        return cut._tag
      })
      const cut = await Effect.runPromise(program.pipe(Effect.provide(stepLayer)))
      expect(cut).toBe("Left")
    } finally {
      await holder.end()
    }
    expect(await ledger(db.url)).toEqual([1, 2, 3].map((i) => ({ name: migrationName(i), finished: true })))
    expect(
      await sql(
        db.url,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'reconcile migrate wave-cut%'",
      ),
    ).toEqual([{ n: 0 }])
  }, 60_000)

  it("a wave stopped between its steps still commits the migrations it applied", async () => {
    const db = await database()
    const dir = folder([
      "CREATE TABLE w1 (id int);",
      "CREATE TABLE w2 (id int);",
      "CREATE TABLE w3 (id int);",
    ])
    const ctx = stepContext("wave-stop", dir, db.url)
    // the run ends after two of the three steps (its state, and the wave's session, close)
    await Effect.runPromise(
      Effect.forEach([1, 2].map(migrationName), (name) => applyMigration(name, ctx), { discard: true }).pipe(
        Effect.provide(stepLayer),
      ),
    )
    expect(await sql(db.url, "SELECT to_regclass('w2')::text AS a, to_regclass('w3')::text AS b")).toEqual([
      { a: "w2", b: null },
    ])
    expect((await ledger(db.url)).map((r) => r.name)).toEqual([1, 2].map(migrationName))
  }, 60_000)
})
