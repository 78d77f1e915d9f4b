/**
 * Migrations end to end on a real Postgres: 40 Prisma migrations apply (ledger exactly as Prisma's),
 * a re-run is a no-op, edited and failed migrations block with guidance, a database that does not
 * exist yet plans everything, and a non-empty schema without a ledger asks for a baseline.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import type { RunContext } from "../../engine/plugin/Plugin.ts"
import { baselineMigrations, resolveMigration } from "../../plugins/migrations/command.ts"
import { checksumOf } from "../../plugins/migrations/folder.ts"
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

/** The 40-migration fixture, copied into the test repository (paths must stay inside it). */
const forty = join(scratchDir("forty-"), "migrations")
cpSync(resolve("test/fixtures/database/migrations-40"), forty, { recursive: true })
const database = scratchDatabases()

const setup = async (dir: string, extra = "") => {
  const db = await database("mig")
  const root = manifestDir({
    test: release(
      "test",
      `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${dir}", target: latest }\n${extra}`,
    ),
  })
  const run = (dryRun = false) =>
    reconcile({
      plugins: databasePlugins,
      dir: join(root, "manifests"),
      env: "test",
      layer: servicesLayer({ DB_URL: db.url }),
      secrets: { DB_URL: db.url },
      dryRun,
    })
  const ctx: RunContext = {
    env: "test",
    spec: {
      database: {
        url: Redacted.make(db.url),
        backup: { provider: "none" },
        migrations: { dir, target: "latest" },
      },
    },
    manifestDir: join(root, "manifests"),
    dryRun: false,
  }
  return { db, run, ctx }
}

const folder = (migrations: Record<string, string>) => {
  const dir = scratchDir("reconcile-migrations-")
  write(dir, migrations)
  return dir
}
const write = (dir: string, migrations: Record<string, string>) => {
  for (const [name, text] of Object.entries(migrations)) {
    mkdirSync(join(dir, name), { recursive: true })
    writeFileSync(join(dir, name, "migration.sql"), text)
  }
}

describe("migrations", () => {
  it("a migration that changes search_path for its transaction still records its row in the ledger's schema", async () => {
    const schema = `other_${Math.floor(Math.random() * 1e9)}`
    const { db, run } = await setup(
      folder({
        s_1: "CREATE TABLE s1 (id int);\n",
        s_2: `CREATE SCHEMA ${schema};\nSET LOCAL search_path TO ${schema};\nCREATE TABLE inside (id int);\n`,
        s_3: "CREATE TABLE after_set (id int);\n",
      }),
    )
    const { summary } = await run()
    // the row is sent with the migration's SQL, after its SET LOCAL: unqualified, it went looking
    // for _prisma_migrations in the other schema and the migration failed
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    expect(
      await sql(
        db.url,
        `SELECT to_regclass('public.after_set')::text AS here, to_regclass('${schema}.inside')::text AS inside`,
      ),
    ).toEqual([{ here: "after_set", inside: `${schema}.inside` }])
    expect(
      (
        await sql<{ n: string }>(
          db.url,
          "SELECT migration_name AS n FROM public._prisma_migrations ORDER BY 1",
        )
      ).map((r) => r.n),
    ).toEqual(["s_1", "s_2", "s_3"])
  })

  it("applies 40 migrations with a Prisma-identical ledger, and a re-run is a no-op", async () => {
    const { db, run } = await setup(forty)
    const { plan } = await run(true)
    const names = readdirSync(forty)
      .filter((n) => n !== "migration_lock.toml")
      .sort()
    expect(plan.steps.map((s) => s.address)).toEqual(names.map((n) => `migrations/${n}`))
    expect(plan.steps.every((s) => s.action === "run")).toBe(true)
    expect(plan.steps[19]?.notes.join(" ")).toContain(
      "runs outside a transaction: CREATE INDEX CONCURRENTLY (line 2)",
    )
    expect(plan.warnings.join(" ")).toContain("backup.provider: none")

    const { summary } = await run()
    expect(summary?.converged).toBe(true)
    expect(summary?.results.filter((r) => r.status === "succeeded")).toHaveLength(40)

    const columns = await sql(
      db.url,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    )
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", len: 36, is_nullable: "NO", column_default: null },
      {
        column_name: "checksum",
        data_type: "character varying",
        len: 64,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        len: 255,
        is_nullable: "NO",
        column_default: null,
      },
      { column_name: "logs", data_type: "text", len: null, is_nullable: "YES", column_default: null },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        len: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ])
    const pk = await sql(
      db.url,
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
    )
    expect(pk).toEqual([{ attname: "id" }])
    const rows = await sql(db.url, `SELECT * FROM _prisma_migrations ORDER BY migration_name`)
    expect(rows.map((r) => r.migration_name)).toEqual(names)
    for (const [i, r] of rows.entries()) {
      const text = readFileSync(join(forty, names[i]!, "migration.sql"), "utf8")
      expect(r.checksum).toBe(checksumOf(text))
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(r.finished_at).toBeInstanceOf(Date)
      expect(r.logs).toBeNull()
      expect(r.rolled_back_at).toBeNull()
      expect(r.applied_steps_count).toBe(1)
      expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime())
    }
    expect(
      await sql(db.url, `SELECT indexname FROM pg_indexes WHERE indexname = 't19_name_idx'`),
    ).toHaveLength(1)
    expect((await run(true)).plan.steps).toEqual([])
  })

  it("blocks apply when an applied migration was edited, naming the file; CRLF alone is no edit", async () => {
    const dir = folder({ a_1: 'CREATE TABLE "e1" (id int);\n', a_2: 'CREATE TABLE "e2" (id int);\n' })
    const { db, run } = await setup(dir)
    expect((await run()).summary?.converged).toBe(true)
    writeFileSync(join(dir, "a_1", "migration.sql"), 'CREATE TABLE "e1" (id int);\r\n')
    expect((await run(true)).plan.steps).toEqual([])
    writeFileSync(join(dir, "a_2", "migration.sql"), 'CREATE TABLE "e2" (id bigint);\n')
    write(dir, { a_3: 'CREATE TABLE "e3" (id int);\n' })
    const { plan, summary } = await run()
    // the edited a_2 is a plan problem naming the file: nothing is applied, a_3 included
    expect(plan.errors.map((p) => p.address)).toEqual(["migrations/a_2"])
    expect(plan.errors[0]?.message).toContain(join(dir, "a_2", "migration.sql"))
    expect(summary?.results.find((r) => r.address === "migrations/a_3")?.status).toBe("skipped")
    expect(summary?.error).toContain("nothing was applied")
    expect(await sql(db.url, `SELECT to_regclass('e3') AS t`)).toEqual([{ t: null }])
  })

  it("a failing migration rolls back, records a failed row, explains itself, skips later waves; resolve converges", async () => {
    const dir = folder({
      b_1: 'CREATE TABLE "ok1" (id int);\n',
      b_2: 'CREATE TABLE "half" (id int);\n-- the next line fails\nSELECT * FROM "nope";\n',
    })
    const data = scratchDir("reconcile-rd-")
    writeFileSync(
      join(data, "dataset.yaml"),
      "tables:\n  - { table: ok1, file: ok1.json, primaryKey: [id] }\n",
    )
    writeFileSync(join(data, "ok1.json"), '[{"id": 1}]')
    const { db, run, ctx } = await setup(dir, `    referenceData: { dir: "${data}", version: v1 }\n`)
    const { summary } = await run()
    const failed = summary?.results.find((r) => r.address === "migrations/b_2")
    expect(failed?.status).toBe("failed")
    expect(failed?.message).toContain('relation "nope" does not exist')
    expect(failed?.message).toContain(`${join(dir, "b_2", "migration.sql")}:3:15`)
    expect(failed?.message).toContain("reconcile migrations resolve --rolled-back b_2 --env test")
    expect(summary?.results.find((r) => r.members?.includes("reference-data/ok1"))?.status).toBe("skipped")
    expect(await sql(db.url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }])
    const rows = await sql(db.url, `SELECT * FROM _prisma_migrations WHERE migration_name = 'b_2'`)
    expect(rows).toHaveLength(1)
    expect(rows[0]?.finished_at).toBeNull()
    expect(rows[0]?.applied_steps_count).toBe(0)
    expect(rows[0]?.logs).toContain("Database error code: 42P01")

    // blocked until resolved: a plan problem, and the apply refuses before writing anything
    const again = await run()
    expect(again.plan.errors.find((p) => p.address === "migrations/b_2")?.message).toContain("failed earlier")
    expect(again.summary?.error).toContain("nothing was applied")
    writeFileSync(join(dir, "b_2", "migration.sql"), 'CREATE TABLE "half" (id int);\n')
    await Effect.runPromise(
      resolveMigration(ctx, { rolledBack: "b_2" }).pipe(Effect.provide(servicesLayer({}))),
    )
    const fixed = await run()
    expect(fixed.summary?.converged).toBe(true)
    const b2 = await sql(
      db.url,
      `SELECT rolled_back_at IS NOT NULL AS rb, finished_at IS NOT NULL AS fin FROM _prisma_migrations WHERE migration_name = 'b_2' ORDER BY started_at`,
    )
    expect(b2).toEqual([
      { rb: true, fin: false },
      { rb: false, fin: true },
    ])
    expect(await sql(db.url, `SELECT id FROM ok1`)).toEqual([{ id: 1 }])
  })

  it("plans everything for a database that does not exist yet, and asks for a baseline on a non-empty schema", async () => {
    const dir = folder({ c_1: 'CREATE TABLE "c1" (id int);\n' })
    const { db, run, ctx } = await setup(dir)
    await sql(db.url, `CREATE TABLE "legacy" (id int)`)
    const blocked = (await run(true)).plan
    expect(blocked.steps).toEqual([])
    expect(blocked.errors.map((p) => p.address)).toEqual(["migrations/(baseline)"])
    expect(blocked.errors[0]?.message).toContain("reconcile migrations baseline --env test")
    const message = await Effect.runPromise(baselineMigrations(ctx).pipe(Effect.provide(servicesLayer({}))))
    expect(message).toContain("c_1")
    expect((await run(true)).plan.steps).toEqual([])
    const applied = await sql(
      db.url,
      `SELECT logs, applied_steps_count, finished_at = started_at AS same FROM _prisma_migrations`,
    )
    expect(applied).toEqual([{ logs: "", applied_steps_count: 0, same: true }])

    const missing = await reconcile({
      plugins: databasePlugins,
      dir: join(
        manifestDir({
          test: release(
            "test",
            `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${forty}", target: latest }\n`,
          ),
        }),
        "manifests",
      ),
      env: "test",
      layer: servicesLayer({ DB_URL: `${db.url}_does_not_exist` }),
      dryRun: true,
    })
    expect(missing.plan.steps).toHaveLength(40)
    expect(missing.plan.steps[0]?.reason).toContain("does not exist yet")
  })
})
