/**
 * `reconcile backup list | verify | restore` through the bundled CLI against the simulator's Data
 * API and a real Postgres: a restore test of a database with three tables passes with per-table
 * counts and the recovery time, and fails when the test hook deletes a row from the scratch copy;
 * a restore is refused without --allow-destroy, then brings back deleted rows, takes a backup of
 * the state it replaces first, keeps the backup catalog, and is recorded in the run history.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { expect, test } from "vitest"
import { cliFixture } from "../support/cliFixture.ts"
import { postgresAdminUrl } from "../support/postgres.ts"
import { sql } from "./support.ts"

const app = `bk-cmd-${process.pid}`
const fx = cliFixture({ prefix: "bkcmd" })
const root = fx.root

const manifest = `apiVersion: reconcile/v1
kind: Release
metadata: { name: staging }
spec:
  app: { name: ${app}, region: us, stack: heroku-24 }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  config:
    vars: { TIER: staging }
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: heroku }
    migrations: { dir: prisma/migrations, target: latest }
`

const migration = (name: string, text: string) => {
  mkdirSync(join(root, "prisma/migrations", name), { recursive: true })
  writeFileSync(join(root, "prisma/migrations", name, "migration.sql"), text)
}

const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  fx.cli(args, { env: { SCRATCH_SERVER: postgresAdminUrl(), ...env } })

const apply = async (text = manifest) => {
  fx.write("staging", text)
  const r = await cli(["--env", "staging"])
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
}

interface Listed {
  readonly id: string
  readonly verified: boolean
  readonly restoreTest: string | null
  readonly release: string | null
}
const list = async (): Promise<ReadonlyArray<Listed>> => {
  const r = await cli(["backup", "list", "--env", "staging", "--output", "json"])
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { backups: ReadonlyArray<Listed> }).backups
}

const scratchLeft = async () =>
  (await sql(postgresAdminUrl(), "SELECT datname FROM pg_database WHERE datname LIKE 'reconcile_verify_%'"))
    .length

test("backup list, verify (passes, and fails on a changed copy) and restore", async () => {
  // The app and its database first, so the second apply's backup b001 (before m_1) is of an empty
  // database and the third apply's b002 (before m_2) is of three tables with rows.
  await apply(manifest.replace(/ {2}database:[\s\S]*$/, ""))
  migration("m_1", "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);\n")
  await apply()
  const api = fx.api
  const url = ((await api.call("GET", `/apps/${app}/config-vars`)).body as Record<string, string>)
    .DATABASE_URL!
  await sql(
    url,
    "INSERT INTO a VALUES (1), (2), (3); INSERT INTO b VALUES (1), (2); INSERT INTO c VALUES (1)",
  )
  migration("m_2", "CREATE TABLE later (id int);\n")
  await apply()
  // a config release after the backup: the release b002 preceded
  await api.call("PATCH", `/apps/${app}/config-vars`, { body: { LOG_LEVEL: "debug" } })

  // each apply that migrated took its own backup (the third once adopted the second's empty one)
  const listed = await list()
  expect(listed.map((b) => [b.id, b.verified, b.restoreTest])).toEqual([
    ["b001", true, null],
    ["b002", true, null],
  ])
  const taken = "b002"
  const earlier = ["b001"]
  const next = "b003"
  expect(listed.at(-1)?.release).toMatch(/^v\d+$/)
  const text = await cli(["backup", "list", "--env", "staging"])
  expect(text.stdout).toMatch(/^ID\s+TAKEN\s+SIZE\s+VERIFIED\s+PRECEDED/)
  expect(text.stdout).toMatch(new RegExp(`${taken} .* captured, not restore-tested`))

  const verified = await cli(["backup", "verify", "--env", "staging", "--scratch-server", "SCRATCH_SERVER"])
  expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0)
  expect(verified.stdout).toContain(`restore test of backup ${taken}:`)
  expect(verified.stdout).toMatch(/^\s+a\s+source\s+3\s+restored\s+3\s+ok$/m)
  expect(verified.stdout).toMatch(/^\s+b\s+source\s+2\s+restored\s+2\s+ok$/m)
  expect(verified.stdout).toMatch(/^\s+c\s+source\s+1\s+restored\s+1\s+ok$/m)
  expect(verified.stdout).toMatch(
    /^\s+migration ledger\s+source 1 migration\(s\)\s+restored 1 migration\(s\)\s+ok$/m,
  )
  expect(verified.stdout).toMatch(/recovery time: \d+\.\d\d s/)
  expect(verified.stdout).toMatch(/^\d+ table\(s\) compared with the source at backup time$/m)
  expect(verified.stdout).not.toContain(postgresAdminUrl())
  expect(await scratchLeft()).toBe(0)

  // the backup of the empty database is compared with the empty source it was taken of
  const empty = await cli([
    "backup",
    "verify",
    "--env",
    "staging",
    "--backup",
    "b001",
    "--scratch-server",
    "SCRATCH_SERVER",
  ])
  expect(empty.code, `${empty.stdout}\n${empty.stderr}`).toBe(0)
  expect(empty.stdout).toMatch(/^\s+migration ledger\s+source\s+none\s+restored\s+none\s+ok$/m)
  expect(empty.stdout).toContain("0 table(s) compared with the source at backup time")
  expect(empty.stdout).not.toMatch(/^\s+a\s+source/m)
  expect(empty.stdout).toContain("restore test passed")

  const broken = await cli(
    ["backup", "verify", "--env", "staging", "--backup", taken, "--scratch-server", "SCRATCH_SERVER"],
    {
      RECONCILE_TEST_VERIFY_DELETE: "b",
    },
  )
  expect(broken.code).toBe(1)
  expect(broken.stdout).toMatch(/^\s+b\s+source\s+2\s+restored\s+1\s+DIFFERS$/m)
  expect(broken.stderr).toContain(`restore test of backup ${taken} failed`)
  expect(await scratchLeft()).toBe(0)
  expect((await list()).find((b) => b.id === taken)?.restoreTest).toBe("failed")

  // rows deleted after the backup come back; without --allow-destroy nothing happens
  await sql(url, "DELETE FROM a")
  // a preview names the safety backup, the backup and the database, and changes nothing
  const preview = await cli(["backup", "restore", "--env", "staging", "--backup", taken, "--dry-run"])
  expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0)
  const dbName = new URL(url).pathname.slice(1)
  expect(preview.stdout).toContain("restore plan for staging (dry run: nothing was changed, no lock taken)")
  expect(preview.stdout).toMatch(
    new RegExp(`^  target:   database ${dbName} on .* attached to ${app} as DATABASE\\)$`, "m"),
  )
  expect(preview.stdout).toMatch(/^ {2}first: {4}a Heroku Data API backup of the current state/m)
  expect(preview.stdout).toMatch(
    new RegExp(
      `^  restore:  backup ${taken}, taken \\d{4}-.*Z, .*, captured; restore test FAILED, before release v\\d+$`,
      "m",
    ),
  )
  expect(`${preview.stdout}${preview.stderr}`).not.toContain(new URL(url).password)
  expect(`${preview.stdout}${preview.stderr}`).not.toContain("postgres://")
  // a new user's mistakes: each one says what to do, and nothing happens (nor did the preview)
  const missing = await cli(["backup", "restore", "--env", "staging", "--allow-destroy"])
  expect(missing.code).toBe(1)
  expect(missing.stderr).toContain(
    `backup restore needs --backup ID (the newest is ${taken}); reconcile backup list --env staging shows them`,
  )
  const typo = await cli(["backup", "restore", "--env", "staging", "--backup", "b02", "--allow-destroy"])
  expect(typo.code).toBe(1)
  expect(typo.stderr).toContain(
    `no backup b02 in staging (did you mean ${taken}?); reconcile backup list --env staging shows them`,
  )
  const badServer = await cli(["backup", "verify", "--env", "staging", "--scratch-server", "NO_SUCH_VAR"])
  expect(badServer.code).toBe(1)
  expect(badServer.stderr).toContain(
    "--scratch-server NO_SUCH_VAR: no environment variable NO_SUCH_VAR is set",
  )
  expect(badServer.stderr).not.toContain("internal error")
  // a wrong backup id and no scratch server: the id first, the server in the same line
  const [both, noServer] = await Promise.all([
    cli(["backup", "verify", "--env", "staging", "--backup", "b02"]),
    cli(["backup", "verify", "--env", "staging", "--backup", taken]),
  ])
  expect(both.code).toBe(1)
  expect(both.stderr.trim().split("\n")).toEqual([
    `error: no backup b02 in staging (did you mean ${taken}?); reconcile backup list --env staging shows them; also, backup verify restores into a scratch database: name a Postgres server with --scratch-server URL (a database is created there and dropped afterwards) (NotFound)`,
  ])
  expect(noServer.code).toBe(1)
  expect(noServer.stderr).toContain("backup verify restores into a scratch database")
  expect(noServer.stderr).not.toContain("no backup")
  const help = await cli(["backup", "restore", "--help"])
  expect(help.stdout).toContain("Example: reconcile backup restore --env staging --backup b002 --dry-run")
  expect((await list()).map((b) => b.id)).toEqual([...earlier, taken])
  expect(await sql(url, "SELECT count(*)::int AS n FROM a")).toEqual([{ n: 0 }])

  const refused = await cli(["backup", "restore", "--env", "staging", "--backup", taken])
  expect(refused.code).toBe(1)
  expect(refused.stderr).toContain("--allow-destroy")
  expect(await sql(url, "SELECT count(*)::int AS n FROM a")).toEqual([{ n: 0 }])
  const restored = await cli(["backup", "restore", "--env", "staging", "--backup", taken, "--allow-destroy"])
  expect(restored.code, `${restored.stdout}\n${restored.stderr}`).toBe(0)
  expect(restored.stdout).toContain(`from backup ${taken}; the state before it is backup ${next}`)
  expect(await sql(url, "SELECT count(*)::int AS n FROM a")).toEqual([{ n: 3 }])
  expect(await sql(url, "SELECT to_regclass('later')::text AS t")).toEqual([{ t: null }])
  // the catalog outlived the restore (the failed test is still known; `next` is the safety backup)
  const after = await list()
  expect(after.map((b) => [b.id, b.restoreTest])).toEqual([
    ...earlier.map((id) => [id, null]),
    [taken, "failed"],
    [next, null],
  ])
  const history = await cli(["history", "--env", "staging", "--output", "json"])
  const runs = (
    JSON.parse(history.stdout) as {
      runs: ReadonlyArray<{ kind: string; outcome: string; backup: string | null }>
    }
  ).runs
  expect(runs[0]).toMatchObject({ kind: "restore", outcome: "succeeded", backup: next })
  // the first apply had no database section, so nothing recorded it in the database's history
  expect(runs.filter((r) => r.kind === "apply")).toHaveLength(2)
}, 240_000)
