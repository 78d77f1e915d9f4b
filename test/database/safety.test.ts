/**
 * Migration safety with real Postgres and the bundled CLI: Squawk's findings on pending migrations,
 * judged with the live table's size and the Prisma schema the running release declares, shown in
 * the plan; `safety: block` refuses a breaking step; a migration blocked by another session's lock
 * fails within lockTimeout, is retried, and applies once the lock is released.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { squawkArgs, squawkBinary } from "../../plugins/migrations/lint.ts"
import { runCliAsync } from "../support/cli.ts"
import { manifestDir, release, scratchDatabases, scratchDir, sql } from "./support.ts"

const database = scratchDatabases()

const write = (folder: string, name: string, text: string) => {
  mkdirSync(join(folder, name), { recursive: true })
  writeFileSync(join(folder, name, "migration.sql"), text)
}

/** A database with `first` applied through the CLI; the cwd holds prisma/schema.prisma. */
const setup = async (env: string, first: string, extra: string, schema = "") => {
  const db = await database("safety")
  const folder = scratchDir("migrations-")
  write(folder, "m_0", first)
  const root = manifestDir({
    [env]: release(
      env,
      `  policy: ${extra === "" ? "{ retries: 0 }" : extra}\n  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${folder}", target: latest${env.endsWith("block") ? ", safety: block" : ""} }\n`,
    ),
  })
  const cwd = scratchDir("app-")
  mkdirSync(join(cwd, "prisma"))
  writeFileSync(join(cwd, "prisma", "schema.prisma"), schema)
  const cli = (...args: Array<string>) =>
    runCliAsync(["--env", env, "--manifests", join(root, "manifests"), ...args], {
      cwd,
      env: { DB_URL: db.url, RECONCILE_QUIET: "1" },
    })
  const applied = await cli()
  expect(applied.code, applied.stdout + applied.stderr).toBe(0)
  return { db, folder, cli }
}

const ledger = (url: string) =>
  sql<{ migration_name: string }>(
    url,
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1",
  )

describe("migration safety in the plan", () => {
  it("an index on a 200,000-row table is slow, on an empty table safe; rules equal Squawk's own; markdown shows them", async () => {
    const { db, folder, cli } = await setup(
      "safe_idx",
      "CREATE TABLE big (id bigint PRIMARY KEY, x int);\nCREATE TABLE small (id bigint PRIMARY KEY, x int);\n",
      "",
    )
    await sql(
      db.url,
      "INSERT INTO big SELECT g, g % 97 FROM generate_series(1, 200000) g; ANALYZE big, small",
    )
    write(folder, "m_1", 'CREATE INDEX "big_x_idx" ON "big"("x");\n')
    write(folder, "m_2", 'CREATE INDEX "small_x_idx" ON "small"("x");\n')
    const md = await cli("--dry-run", "--output", "markdown")
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout).toMatch(
      /squawk require-concurrent-index-creation \(line 1\): slow[^\n]*big: ≈200,000 rows/,
    )
    expect(md.stdout).toMatch(/squawk require-concurrent-index-creation \(line 1\): safe[^\n]*small: ≈0 rows/)
    const json = await cli("--dry-run", "--output", "json")
    const fromPlan = [...json.stdout.matchAll(/squawk ([a-z0-9-]+) \(line (\d+)\)/g)].map(
      (m) => `${m[1]}@${m[2]}`,
    )
    const direct = JSON.parse(
      (() => {
        try {
          return execFileSync(squawkBinary() ?? "squawk", [
            ...squawkArgs(150000),
            join(folder, "m_1", "migration.sql"),
            join(folder, "m_2", "migration.sql"),
          ]).toString()
        } catch (e) {
          return String((e as { stdout: Buffer }).stdout)
        }
      })(),
    ) as Array<{ rule_name: string; line: number }>
    expect(direct.length).toBeGreaterThan(0)
    expect(fromPlan.sort()).toEqual(direct.map((f) => `${f.rule_name}@${f.line + 1}`).sort())
  }, 120_000)

  it("a DROP COLUMN the deployed schema declares is breaking; with safety: block the dry-run exits 1 and nothing applies", async () => {
    const schema = "model User {\n  id   Int    @id\n  name String\n}\n"
    const { db, folder, cli } = await setup(
      "drop_block",
      'CREATE TABLE "User" (id int PRIMARY KEY, name text);\n',
      "",
      schema,
    )
    write(folder, "m_1", 'ALTER TABLE "User" DROP COLUMN "name";\n')
    const dry = await cli("--dry-run")
    expect(dry.code).toBe(1)
    expect(dry.stdout).toContain("squawk ban-drop-column (line 1): breaking")
    expect(dry.stdout).toContain("declares User.name")
    expect(dry.stdout).toContain("move this DROP COLUMN into a migration in the next release")
    const apply = await cli()
    expect(apply.code).not.toBe(0)
    expect(await ledger(db.url)).toEqual([{ migration_name: "m_0" }])
    expect(
      await sql(
        db.url,
        `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'name'`,
      ),
    ).toEqual([{ n: 1 }])
    // acknowledged, it applies
    write(
      folder,
      "m_1",
      '-- reconcile: allow ban-drop-column because v42 no longer reads it\nALTER TABLE "User" DROP COLUMN "name";\n',
    )
    const acked = await cli()
    expect(acked.code, acked.stdout).toBe(0)
    expect(await ledger(db.url)).toEqual([{ migration_name: "m_0" }, { migration_name: "m_1" }])
  }, 120_000)

  it("a migration blocked by another session's lock fails within lockTimeout, is retried, and applies once", async () => {
    const { db, folder, cli } = await setup(
      "lock_retry",
      "CREATE TABLE busy (id int);\n",
      "{ lockTimeout: 300ms, retries: 10 }",
    )
    write(folder, "m_1", "ALTER TABLE busy ADD COLUMN x bigint;\n")
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    await holder.query("BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE")
    const run = cli()
    // the migration's ALTER waits on the lock, gives up within lockTimeout, and waits again when
    // retried: two distinct waits (by query_start) are seen before the lock is released
    const waits = new Set<string>()
    const end = Date.now() + 20_000
    while (waits.size < 2 && Date.now() < end) {
      const rows = await sql<{ s: string }>(
        db.url,
        `SELECT query_start::text AS s FROM pg_stat_activity WHERE datname = current_database()
           AND wait_event_type = 'Lock' AND query ILIKE '%ALTER TABLE busy%'`,
      )
      for (const row of rows) waits.add(row.s)
      await new Promise((r) => setTimeout(r, 20))
    }
    const waiting = await sql<{ n: number }>(
      db.url,
      "SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = 'm_1'",
    )
    await holder.query("ROLLBACK")
    await holder.end()
    const r = await run
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(waits.size).toBeGreaterThanOrEqual(2)
    expect(waiting).toEqual([{ n: 0 }])
    expect(
      await sql(
        db.url,
        "SELECT migration_name, finished_at IS NOT NULL AS ok FROM _prisma_migrations ORDER BY 1",
      ),
    ).toEqual([
      { migration_name: "m_0", ok: true },
      { migration_name: "m_1", ok: true },
    ])
  }, 120_000)
})
