/**
 * Nothing waits unbounded on the database, and a signal always ends a run: a dry-run blocked by
 * another session's table lock ends within `spec.policy.lockTimeout` (exit 1, one clear line), and
 * SIGTERM ends a blocked dry-run or an apply mid-migration within 5 s, its connections and the
 * apply lock released.
 */
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import pg from "pg"
import { afterAll, describe, expect, inject, it } from "vitest"
import { lockKey } from "../../services/database/lock.ts"
import { manifestDir, release, scratchDatabases, scratchDir, sql } from "./support.ts"

const database = scratchDatabases()
const clients: Array<pg.Client> = []
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {})
})

const migrations = (files: Record<string, string>) => {
  const dir = scratchDir("migrations-")
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name))
    writeFileSync(join(dir, name, "migration.sql"), text)
  }
  return dir
}

const setup = async (policy: string, files: Record<string, string>, backup = "none") => {
  const db = await database("hang")
  const root = manifestDir({
    test: release(
      "test",
      `  policy: ${policy}\n  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: ${backup} }\n    migrations: { dir: "${migrations(files)}", target: latest }\n`,
    ),
  })
  return { db, root, manifests: join(root, "manifests") }
}

/** A session holding ACCESS EXCLUSIVE on the (empty) migrations ledger until the test ends. */
const lockLedger = async (url: string) => {
  await sql(url, `CREATE TABLE "_prisma_migrations" (id text)`)
  const c = new pg.Client({ connectionString: url })
  clients.push(c)
  await c.connect()
  await c.query(`BEGIN; LOCK TABLE "_prisma_migrations" IN ACCESS EXCLUSIVE MODE`)
  return c
}

interface Child {
  readonly pid: number
  readonly done: Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
  }>
  readonly kill: (signal: NodeJS.Signals) => void
}

const start = (args: ReadonlyArray<string>, env: Record<string, string>, cwd = process.cwd()): Child => {
  const child = spawn(process.execPath, [resolve(inject("cliBundle")), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", RECONCILE_QUIET: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let stderr = ""
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString()
  })
  let stdout = ""
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString()
  })
  const guard = setTimeout(() => child.kill("SIGKILL"), 25_000)
  const done = new Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
  }>((ok) =>
    child.on("close", (code, signal) => {
      clearTimeout(guard)
      ok({ code, signal, stdout, stderr })
    }),
  )
  return { pid: child.pid ?? 0, done, kill: (s) => child.kill(s) }
}

const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

/** Backends of this database other than the test's own, optionally only those waiting on a lock. */
const others = async (url: string, holder: pg.Client | undefined, waiting: boolean) => {
  const rows = await sql<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
       AND pid <> pg_backend_pid() AND pid <> $1 ${waiting ? "AND wait_event_type = 'Lock'" : ""}`,
    [(holder as unknown as { processID?: number } | undefined)?.processID ?? 0],
  )
  return rows[0]?.n ?? 0
}

describe("bounded database waits and signals", () => {
  it("a dry-run blocked by another session's table lock ends within lockTimeout, exit 1", async () => {
    const { db, manifests } = await setup("{ lockTimeout: 1s, retries: 0 }", {
      m_1: "CREATE TABLE a (id int);\n",
    })
    await lockLedger(db.url)
    const run = start(["--env", "test", "--manifests", manifests, "--dry-run"], { DB_URL: db.url })
    const r = await run.done
    // the lock is held until the test ends: ending at all, with this message, is the bound at work
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("lock timeout")
    expect(r.stderr).toContain("spec.policy.lockTimeout")
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s ends a dry-run stuck on a locked table within 5 s and closes its connections",
    async (signal) => {
      const { db, manifests } = await setup("{ lockTimeout: 10m }", { m_1: "CREATE TABLE a (id int);\n" })
      const holder = await lockLedger(db.url)
      const run = start(["--env", "test", "--manifests", manifests, "--dry-run"], { DB_URL: db.url })
      expect(await until(async () => (await others(db.url, holder, true)) > 0, 15_000)).toBe(true)
      run.kill(signal)
      // lockTimeout is 10 minutes and the lock is held until the test ends: only the signal ends it
      const r = await run.done
      expect(r.code).toBe(signal === "SIGINT" ? 130 : 143)
      expect(r.stderr).toContain(`interrupted by ${signal}`)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(await until(async () => (await others(db.url, holder, false)) === 0, 3_000)).toBe(true)
    },
  )

  it("a pg_dump backup blocked by a locked table ends within lockTimeout and nothing migrates", async () => {
    const { db, root, manifests } = await setup(
      "{ lockTimeout: 1s, retries: 0 }",
      { m_1: "CREATE TABLE a (id int);\n" },
      "pg_dump",
    )
    // outside the migrated schema: a table there would make the plan ask for a baseline first
    await sql(db.url, "CREATE SCHEMA side; CREATE TABLE side.busy (id int)")
    const holder = new pg.Client({ connectionString: db.url })
    clients.push(holder)
    await holder.connect()
    await holder.query("BEGIN; LOCK TABLE side.busy IN ACCESS EXCLUSIVE MODE")
    const run = start(["--env", "test", "--manifests", manifests], { DB_URL: db.url }, root)
    const r = await run.done
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("backup/pg_dump")
    expect(r.stdout).toContain("LOCK TABLE side.busy")
    expect(await sql(db.url, `SELECT to_regclass('a')::text AS t`)).toEqual([{ t: null }])
  })

  it("a migration blocked by a table lock stops within lockTimeout, rolled back, no failed row", async () => {
    const { db, root, manifests } = await setup("{ lockTimeout: 1s, retries: 0 }", {
      m_1: "CREATE TABLE busy (id int);\n",
    })
    const first = start(["--env", "test", "--manifests", manifests], { DB_URL: db.url }, root)
    expect((await first.done).code).toBe(0)
    const folder = readFileSync(join(manifests, "test.yaml"), "utf8").match(/dir: "([^"]+)"/)?.[1] ?? ""
    mkdirSync(join(folder, "m_2"))
    writeFileSync(join(folder, "m_2", "migration.sql"), "ALTER TABLE busy ADD COLUMN x int;\n")
    const holder = new pg.Client({ connectionString: db.url })
    clients.push(holder)
    await holder.connect()
    await holder.query("BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE")
    const blocked = await start(["--env", "test", "--manifests", manifests], { DB_URL: db.url }, root).done
    expect(blocked.code).toBe(1)
    expect(blocked.stdout).toContain("spec.policy.lockTimeout bounds it")
    expect(await sql(db.url, "SELECT migration_name FROM _prisma_migrations ORDER BY 1")).toEqual([
      { migration_name: "m_1" },
    ])
    await holder.query("ROLLBACK")
    const again = await start(["--env", "test", "--manifests", manifests], { DB_URL: db.url }, root).done
    expect(again.code).toBe(0)
  })

  it("SIGTERM ends an apply mid-migration within 5 s and frees the apply lock", async () => {
    const { db, manifests } = await setup("{ retries: 0 }", {
      m_1: "CREATE TABLE a (id int);\nSELECT pg_sleep(60);\n",
    })
    const run = start(["--env", "test", "--manifests", manifests], { DB_URL: db.url })
    const sleeping = async () =>
      (
        await sql<{ n: number }>(
          db.url,
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()`,
        )
      )[0]?.n ?? 0
    expect(await until(async () => (await sleeping()) > 0, 15_000)).toBe(true)
    run.kill("SIGTERM")
    // the migration sleeps 60 s, longer than the test may take: only the signal ends the run
    const r = await run.done
    expect(r.code).toBe(143)
    expect(r.stderr.trim()).toBe(
      "error: interrupted by SIGTERM; steps already applied stay applied, run again to converge",
    )
    expect(await until(async () => (await others(db.url, undefined, false)) === 0, 3_000)).toBe(true)
    const free = await sql<{ ok: boolean }>(db.url, "SELECT pg_try_advisory_lock($1) AS ok", [
      lockKey("apply", "test"),
    ])
    expect(free).toEqual([{ ok: true }])
    expect(await sql(db.url, `SELECT to_regclass('a')::text AS t`)).toEqual([{ t: null }])
  })
})
