/**
 * The steps of one migrations wave share one session: one connection (one lock, one read of the
 * folder) for every migration of the run, closed when the wave ends, also when a migration fails.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Layer from "effect/Layer"
import { afterAll, describe, expect, it } from "vitest"
import { connect } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { reconcile } from "../support/engine.ts"
import {
  createDatabase,
  databasePlugins,
  dropDatabase,
  manifestDir,
  release,
  scratchDir,
  servicesLayer,
  sql,
} from "./support.ts"

const dropped: Array<string> = []
afterAll(async () => {
  for (const name of dropped) await dropDatabase(name)
})

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

/** Applies `dir` to a fresh database, counting the migration sessions the run opened. */
const applyCounting = async (dir: string, env: string) => {
  const db = await createDatabase("sess")
  dropped.push(db.name)
  const opened: Array<string> = []
  const counting = Layer.succeed(Database, {
    connect: (url, timeouts, applicationName) => {
      if (applicationName?.startsWith("reconcile migrate") === true) opened.push(applicationName)
      return connect(url, timeouts, applicationName)
    },
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
  return { db, summary, opened, left: Number(left[0]?.n), locks: Number(locks[0]?.n) }
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
})
