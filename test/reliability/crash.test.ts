/**
 * Crash and resume: 20 applies through the bundled CLI, each killed with SIGKILL at a seeded random
 * moment inside one phase (config, the release build, migrations, reference data). After each kill
 * the database is never half-migrated (every migration's changes and its ledger row are both there
 * or neither, and no unfinished ledger row is left; a first deploy's wave is there whole or not at
 * all), and the next run converges. Kills between the migrations of a later deploy, which commit one
 * by one: test/database/crashAndLock.test.ts.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { flattenMembers } from "../../engine/plan/Step.ts"
import type { Simulator } from "../../sim/index.ts"
import { testPlugins as plugins } from "../stand-ins/plugins.ts"
import { allOutput, runCliAsync } from "../support/cli.ts"
import { reconcile } from "../support/engine.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { postgresAdminUrl } from "../support/postgres.ts"
import { canaries, expectNoCanary, mulberry32, pool, renderings, simServices } from "./support.ts"

const RUNS = 20
const SEED = 20_270_101
/** Waves to kill inside, and how long after a wave starts the kill may land (its rough length). */
const phases = [
  { wave: "config", windowMs: 120 },
  { wave: "release", windowMs: 700 },
  { wave: "migrations", windowMs: 1300 },
  { wave: "reference-data", windowMs: 250 },
] as const
/** Per migration: the objects its first and last statements create (a pg_sleep runs between). */
const parts: Record<string, readonly [string, string]> = {
  "20270101000000_salons": ["to_regclass('salons')", "to_regclass('salon_audit')"],
  "20270101010000_cities": [
    "(SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('salons') AND attname = 'city')",
    "to_regclass('salons_city_idx')",
  ],
  "20270101020000_bookings": ["to_regclass('bookings')", "to_regclass('booking_notes')"],
}

let sim: Simulator
let root: string
const logs: Array<string> = []
const template = readFileSync("test/fixtures/reliability/crash/crash.yaml", "utf8")

beforeAll(async () => {
  sim = await startSim({ provisionDelayMs: 50, onError: () => {} })
  root = mkdtempSync(join(tmpdir(), "reliability-crash-"))
})
afterAll(async () => {
  expectNoCanary([...allOutput, ...logs], "crash")
  await sim?.close()
  if (root !== undefined) rmSync(root, { recursive: true, force: true })
})

const env = () => ({
  HEROKU_API_URL: sim.url,
  HEROKU_DATA_API_URL: sim.url,
  HEROKU_API_KEY: simToken,
  ...canaries,
})

/** Runs the CLI and kills it `delayMs` after it announces `wave`; resolves with how it ended. */
const killDuring = (args: ReadonlyArray<string>, wave: string, delayMs: number) =>
  new Promise<{ signal: string | null; code: number | null; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [resolve(inject("cliBundle")), ...args], {
      env: { ...process.env, NO_COLOR: "1", ...env() },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    let armed = false
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      if (!armed && stderr.includes(`wave ${wave}:`)) {
        armed = true
        setTimeout(() => child.kill("SIGKILL"), delayMs)
      }
    })
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.on("error", fail)
    child.on("close", (code, signal) => {
      clearTimeout(guard)
      allOutput.push(stdout, stderr)
      done({ signal, code, stderr })
    })
  })

const databaseUrl = (app: string): string | undefined =>
  sim.state().apps.find((a) => a.name === app)?.config.DATABASE_URL

/**
 * Waits until no other session is running a statement in the database: a SIGKILLed client's last
 * query keeps running on the server and may commit later. Catalog reads (to_regclass) do not honour
 * a REPEATABLE READ snapshot, so reading while that query still runs could see its tables but not
 * its ledger row: a half-applied migration that never existed.
 */
const quiesce = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    for (let waited = 0; waited < 120_000; waited += 50) {
      const busy = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      )
      if (Number(busy.rows[0]?.n) === 0) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error("the killed run's last statement still runs after 120 s")
  } finally {
    await c.end()
  }
}

/** Each migration's two halves and whether the ledger says it finished; unfinished ledger rows. */
const migrationState = async (url: string) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  // one snapshot for every read: a killed client's last query may still commit on the server
  // between two reads, which would look like a half-applied migration
  await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
  try {
    const ledger = (
      await c.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS t")
    ).rows[0]?.t
      ? (
          await c.query<{ name: string; finished: boolean; rolled_back: boolean }>(
            `SELECT migration_name AS name, finished_at IS NOT NULL AS finished,
                    rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations`,
          )
        ).rows
      : []
    const migrations: Array<{
      name: string
      first: boolean | undefined
      last: boolean | undefined
      ledger: boolean
    }> = []
    for (const [name, [first, last]] of Object.entries(parts)) {
      const r = await c.query<{ a: boolean; b: boolean }>(
        `SELECT ${first} IS NOT NULL AS a, ${last} IS NOT NULL AS b`,
      )
      const applied = ledger.some((l) => l.name === name && l.finished && !l.rolled_back)
      migrations.push({ name, first: r.rows[0]?.a, last: r.rows[0]?.b, ledger: applied })
    }
    const salons = migrations[0]?.ledger
      ? Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM salons")).rows[0]?.n)
      : 0
    return { migrations, unfinished: ledger.filter((l) => !l.finished && !l.rolled_back), salons }
  } finally {
    await c.query("ROLLBACK").catch(() => {})
    await c.end()
  }
}

/** Both halves of every migration agree with its ledger row, and no attempt is left unfinished. */
const expectWhole = (state: Awaited<ReturnType<typeof migrationState>>, label: string) => {
  for (const m of state.migrations) {
    expect({ ...m, first: m.ledger, last: m.ledger }, `${label}: ${m.name} half-applied`).toEqual(m)
  }
  expect(state.unfinished, `${label}: unfinished ledger rows`).toEqual([])
}

const scenario = async (i: number) => {
  const rng = mulberry32(SEED + i)
  const phase = phases[i % phases.length] ?? phases[0]
  const delayMs = Math.floor(rng() * phase.windowMs)
  const label = `run ${i} (seed ${SEED + i}): SIGKILL ${delayMs} ms into ${phase.wave}`
  const app = `crash-${i}-${Math.floor(rng() * 1e6)}-${process.pid}`
  const dir = join(root, app)
  mkdirSync(dir)
  writeFileSync(join(dir, "crash.yaml"), template.replaceAll("__APP__", app))
  const args = ["--env", "crash", "--manifests", dir]

  const killed = await killDuring(args, phase.wave, delayMs)
  expect(killed.signal, `${label}: the run finished before the kill\n${killed.stderr}`).toBe("SIGKILL")
  const url = databaseUrl(app)
  if (url !== undefined) await quiesce(url)
  const atKill = url === undefined ? undefined : await migrationState(url)
  if (atKill !== undefined) expectWhole(atKill, `${label}, after the kill`)

  const next = await runCliAsync(args, { env: env() })
  expect(next.code, `${label}: the next run\n${next.stdout}\n${next.stderr}`).toBe(0)
  const after = await migrationState(databaseUrl(app) ?? "")
  expectWhole(after, `${label}, after the next run`)
  expect({ applied: after.migrations.every((m) => m.ledger), salons: after.salons }, label).toEqual({
    applied: true,
    salons: 400,
  })
  const check = await reconcile({ plugins, dir, env: "crash", layer: simServices(sim, logs), dryRun: true })
  logs.push(...renderings(check))
  expect(
    check.plan.steps.map((s) => s.address),
    label,
  ).toEqual([])
  return { phase: phase.wave, appliedAtKill: atKill?.migrations.filter((m) => m.ledger).length ?? 0 }
}

describe("crash and resume", () => {
  it("a run resumed on a half-migrated schema (a dataset column not added yet) plans and converges", async () => {
    const name = `rel_resume_${Math.floor(Math.random() * 1e9)}`
    const admin = new pg.Client({ connectionString: postgresAdminUrl() })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(postgresAdminUrl())
    url.pathname = `/${name}`
    const dir = join(root, "resume")
    mkdirSync(dir)
    const write = (target: string, data: string) =>
      writeFileSync(
        join(dir, "resume.yaml"),
        `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: resume }\nspec:\n  database:\n` +
          `    url: { fromEnv: DIRECT_URL }\n    backup: { provider: none }\n` +
          `    migrations: { dir: test/fixtures/reliability/crash/migrations, target: ${target} }\n${data}`,
      )
    const run = () =>
      reconcile({
        plugins,
        dir,
        env: "resume",
        layer: simServices(sim, logs, { ...canaries, DIRECT_URL: url.toString() }),
      })
    try {
      write("20270101000000_salons", "")
      expect((await run()).summary?.converged).toBe(true)
      write(
        "latest",
        '    referenceData: { dir: test/fixtures/reliability/crash/reference-data, version: "1" }\n',
      )
      const resumed = await run()
      logs.push(...renderings(resumed))
      expect(resumed.summary?.converged, JSON.stringify(resumed.summary?.results)).toBe(true)
      expect(flattenMembers(resumed.plan.steps).map((s) => s.address)).toContain("reference-data/salons")
      const state = await migrationState(url.toString())
      expectWhole(state, "resumed")
      expect(state.salons).toBe(400)
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    }
  })

  it(`${RUNS} applies killed with SIGKILL in config, build, migrations or reference data; the next run converges`, async () => {
    const runs = await pool(
      Array.from({ length: RUNS }, (_, i) => i),
      5,
      scenario,
    )
    expect(new Set(runs.map((r) => r.phase)).size).toBe(phases.length)
    // a first deploy's migrations wave is one transaction (plugins/migrations/commits.ts): a kill
    // inside it leaves none of the three migrations, never some; at least one kill landed inside
    const during = runs.filter((r) => r.phase === "migrations").map((r) => r.appliedAtKill)
    expect(
      during.every((n) => n === 0 || n === Object.keys(parts).length),
      JSON.stringify(during),
    ).toBe(true)
    expect(during, JSON.stringify(during)).toContain(0)
  }, 240_000)
})
