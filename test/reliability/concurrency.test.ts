/**
 * Concurrency: five applies of one environment started at once through the bundled CLI. The lock is
 * an advisory lock on the environment's database, so one apply creates it first; then a slow
 * migration is added and five start together: exactly one applies, the other four exit 3 naming the
 * holder. The database URL's password is a canary secret, scanned for in everything printed.
 */
import { randomBytes } from "node:crypto"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import { allOutput, runCliAsync } from "../support/cli.ts"
import { postgresAdminUrl } from "../support/postgres.ts"
import { canaries, expectNoCanary } from "./support.ts"

const id = randomBytes(4).toString("hex")
const name = `rel_conc_${id}`
const root = mkdtempSync(join(tmpdir(), "reliability-conc-"))

const admin = async (text: string) => {
  const c = new pg.Client({ connectionString: postgresAdminUrl() })
  await c.connect()
  try {
    return (await c.query(text)).rows
  } finally {
    await c.end()
  }
}

afterAll(async () => {
  expectNoCanary(allOutput, "concurrency")
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin(`DROP ROLE IF EXISTS ${name}`)
  rmSync(root, { recursive: true, force: true })
})

const migration = (folder: string, sql: string) => {
  mkdirSync(join(root, "migrations", folder), { recursive: true })
  writeFileSync(join(root, "migrations", folder, "migration.sql"), sql)
}

const manifest = (target: string) =>
  writeFileSync(
    join(root, "manifests", "shared.yaml"),
    `apiVersion: reconcile/v1
kind: Release
metadata: { name: shared }
spec:
  database:
    url: { fromEnv: DIRECT_URL }
    backup: { provider: none }
    migrations: { dir: ${join(root, "migrations")}, target: ${target} }
`,
  )

describe("concurrent applies of one environment", () => {
  it("exactly one of five applies runs; the others exit 3 naming the holder", async () => {
    await admin(`CREATE ROLE ${name} LOGIN PASSWORD '${canaries.DB_PASSWORD}'`)
    await admin(`CREATE DATABASE ${name} OWNER ${name}`)
    const url = new URL(postgresAdminUrl())
    url.username = name
    url.password = canaries.DB_PASSWORD
    url.pathname = `/${name}`
    const env = { DIRECT_URL: url.toString() }
    mkdirSync(join(root, "manifests"))
    migration("20270201000000_first", 'CREATE TABLE "first" (id int);\n')
    migration("20270201010000_slow", 'CREATE TABLE "slow" (id int);\nSELECT pg_sleep(4);\n')
    const args = ["--env", "shared", "--manifests", join(root, "manifests")]

    manifest("20270201000000_first")
    const first = await runCliAsync(args, { env })
    expect(first.code, first.stderr).toBe(0)

    manifest("latest")
    const runs = await Promise.all(Array.from({ length: 5 }, () => runCliAsync(args, { env })))
    const codes = runs.map((r) => r.code)
    expect([...codes].sort(), runs.map((r) => r.stderr).join("\n---\n")).toEqual([0, 3, 3, 3, 3])
    for (const r of runs.filter((r) => r.code === 3)) {
      expect(r.stderr).toMatch(
        /another apply holds the lock for environment "shared" \(reconcile apply shared pid \d+ on .+\)/,
      )
    }
    const c = new pg.Client({ connectionString: env.DIRECT_URL })
    await c.connect()
    try {
      const ledger = await c.query("SELECT migration_name FROM _prisma_migrations ORDER BY 1")
      expect(ledger.rows.map((r) => r.migration_name)).toEqual([
        "20270201000000_first",
        "20270201010000_slow",
      ])
    } finally {
      await c.end()
    }
  }, 60_000)
})
