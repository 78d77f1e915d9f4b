/**
 * The steps of one migrations wave share one session: one connection (one lock, one read of the
 * folder) for every migration of the run, closed when the wave ends, also when a migration fails.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { connect } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
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

const database = scratchDatabases()

/** A folder of `n` migrations, the `failAt`-th (1-based) failing. */
const folder = (n: number, failAt?: number) => {
  const dir = scratchDir("session-")
  for (let i = 1; i <= n; i++) {
    const name = `2025010100${String(i).padStart(2, "0")}00_m${i}`
    mkdirSync(join(dir, name))
    const body = i === failAt ? "SELECT * FROM no_such_table;" : `CREATE TABLE t${i} (id int PRIMARY KEY);`
    writeFileSync(join(dir, name, "migration.sql"), body)
  }
  return dir
}

/** Applies `dir` to a database (a fresh one unless given), counting the migration sessions the run
 * opened and the queries sent on them after connecting. */
const applyCounting = async (dir: string, env: string, given?: { name: string; url: string }) => {
  const db = given ?? (await database("sess"))
  const opened: Array<string> = []
  const sent: Array<string> = []
  const counting = Layer.succeed(Database, {
    connect: (url, timeouts, applicationName) =>
      connect(url, timeouts, applicationName).pipe(
        Effect.tap((c) => {
          if (applicationName?.startsWith("reconcile migrate") !== true) return
          opened.push(applicationName)
          const send = c.query.bind(c) as (...args: Array<unknown>) => unknown
          ;(c as unknown as { query: typeof send }).query = (...args) => {
            const text = args[0]
            sent.push(typeof text === "string" ? text : String((text as { text?: unknown }).text))
            return send(...args)
          }
        }),
      ),
  })
  const root = manifestDir({
    [env]: release(
      env,
      `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${dir}", target: latest }\n`,
    ),
  })
  const { summary } = await reconcile({
    plugins: databasePlugins,
    dir: join(root, "manifests"),
    env,
    layer: Layer.merge(servicesLayer({ DB_URL: db.url }), counting),
    secrets: { DB_URL: db.url },
  })
  const left = await sql<{ n: string }>(
    db.url,
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'reconcile migrate%'",
  )
  const locks = await sql<{ n: string }>(
    db.url,
    "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
  )
  return { db, summary, opened, sent, left: Number(left[0]?.n), locks: Number(locks[0]?.n) }
}

describe("one migration session per wave", () => {
  it("applies 8 migrations over one connection and closes it when the wave ends", async () => {
    const r = await applyCounting(folder(8), "sess-ok")
    expect(r.summary?.converged).toBe(true)
    expect(
      r.summary?.results.filter((x) => x.plugin === "migrations" && x.status === "succeeded"),
    ).toHaveLength(8)
    expect(r.opened).toHaveLength(1)
    expect(r.left).toBe(0)
    expect(r.locks).toBe(0)
    const rows = await sql<{ n: string }>(
      r.db.url,
      "SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL",
    )
    expect(Number(rows[0]?.n)).toBe(8)
  })

  it("a failing migration closes the session: nothing left connected or locked", async () => {
    const r = await applyCounting(folder(5, 3), "sess-fail")
    expect(r.summary?.converged).toBe(false)
    const statuses = r.summary?.results.filter((x) => x.plugin === "migrations").map((x) => x.status)
    expect(statuses).toEqual(["succeeded", "succeeded", "failed", "skipped", "skipped"])
    expect(r.opened).toHaveLength(1)
    expect(r.left).toBe(0)
    expect(r.locks).toBe(0)
  })

  it("costs one round trip per migration and two for the wave (lock with facts, unlock)", async () => {
    const dir = folder(6)
    const first = await applyCounting(dir, "sess-trips")
    expect(first.summary?.converged).toBe(true)
    // the lock with the ledger/schema/version facts (and the check interval), each migration in one
    // query, and the unlock
    expect(first.sent).toHaveLength(1 + 6 + 1)
    // a first deploy: one transaction for the wave; its last migration creates the ledger, writes
    // the six rows in one INSERT and commits durably
    expect(first.sent.filter((q) => /\bCOMMIT\b/.test(q))).toHaveLength(1)
    const last = first.sent.at(-2) ?? ""
    expect(last).toMatch(/synchronous_commit = on;\nCOMMIT$/)
    expect(first.sent.filter((q) => q.includes('CREATE TABLE "public"."_prisma_migrations"'))).toEqual([last])
    expect(first.sent.filter((q) => q.includes('_prisma_migrations" (id,'))).toEqual([last])
    expect(last.match(/\(\$?'[0-9a-f-]{36}'/g)).toHaveLength(6)
    // two more migrations on the same database: the existing ledger is read once for the wave, and
    // each migration commits on its own (the first one without waiting for the flush)
    for (const i of [7, 8]) {
      const name = `2025010100${String(i).padStart(2, "0")}00_m${i}`
      mkdirSync(join(dir, name))
      writeFileSync(
        join(dir, name, "migration.sql"),
        i === 7
          ? "CREATE TABLE t7 AS SELECT current_setting('client_connection_check_interval') AS checking;"
          : `CREATE TABLE t${i} (id int PRIMARY KEY);`,
      )
    }
    const second = await applyCounting(dir, "sess-trips", first.db)
    expect(second.summary?.converged).toBe(true)
    expect(second.sent.filter((q) => q.includes('FROM "_prisma_migrations"'))).toHaveLength(1)
    expect(second.sent).toHaveLength(2 + 2 + 1)
    expect(second.sent.filter((q) => /\bCOMMIT\b/.test(q))).toHaveLength(2)
    const rows = await sql<{ n: string }>(
      first.db.url,
      "SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND applied_steps_count = 1",
    )
    expect(Number(rows[0]?.n)).toBe(8)
    // the session set how soon a killed client is noticed (Postgres 14+)
    expect(await sql(first.db.url, "SELECT checking FROM t7")).toEqual([{ checking: "1s" }])
  })
})
