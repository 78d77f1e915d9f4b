/**
 * Backups end to end: the Heroku provider against the simulator's Data API (a real, restorable
 * copy; the summary carries the backup id and the restore command), a failing provider that keeps
 * every migration from running, and the pg_dump provider (a verified custom-format file).
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { section } from "../../engine/manifest/index.ts"
import { definePlugin } from "../../engine/plugin/Plugin.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { herokuClient, waitFor } from "../support/simClient.ts"
import {
  databasePlugins,
  manifestDir,
  release,
  scratchDatabases,
  scratchDir,
  servicesLayer,
  sql,
} from "./support.ts"

/** Stands in for the app plugin: only declares `spec.app` so the database plugins can read its name. */
const appSection = definePlugin({
  name: "app-stub",
  section: section("app", Schema.Struct({ name: Schema.String })),
  wave: "app",
  observe: () => Effect.succeed(null),
  diff: () => [],
  apply: () => Effect.die("never"),
})
const plugins = [appSection, ...databasePlugins]

let sim: Simulator
const database = scratchDatabases()
beforeAll(async () => {
  sim = await startSim()
})
afterAll(async () => {
  await sim.close()
})

const migrations = (files: Record<string, string>, dir = scratchDir("reconcile-bk-")) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name), { recursive: true })
    writeFileSync(join(dir, name, "migration.sql"), text)
  }
  return dir
}

const herokuApp = async (name: string) => {
  const api = herokuClient(sim.url, simToken)
  await api.call("POST", "/apps", { body: { name } })
  const addon = (
    await api.call("POST", `/apps/${name}/addons`, { body: { plan: "heroku-postgresql:essential-0" } })
  ).body as { id: string }
  await waitFor(async () => {
    const a = (await api.call("GET", `/apps/${name}/addons/${addon.id}`)).body as { state: string }
    return a.state === "provisioned" ? a : undefined
  })
  const url = ((await api.call("GET", `/apps/${name}/config-vars`)).body as Record<string, string>)
    .DATABASE_URL!
  return { api, addon, url }
}

describe("backup", () => {
  it("heroku: a Data API capture before migrations, with its id and restore command; the copy restores", async () => {
    const { api, addon, url } = await herokuApp("bk-heroku")
    const dir = migrations({ m_1: 'CREATE TABLE "_prisma_skip" (id int);\n' })
    const root = manifestDir({
      prod: release(
        "prod",
        `  app: { name: bk-heroku }\n  database:\n    url: { fromConfigVar: DATABASE_URL }\n    backup: { provider: heroku }\n    migrations: { dir: "${dir}", target: latest }\n`,
      ),
    })
    // an existing, Prisma-managed database (ledger present) with data the restore must bring back
    await sql(
      url,
      `CREATE TABLE "_prisma_migrations" (id varchar(36) PRIMARY KEY NOT NULL, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0); CREATE TABLE keep (id int); INSERT INTO keep VALUES (1)`,
    )
    const run = (dryRun = false) =>
      reconcile({ plugins, dir: join(root, "manifests"), env: "prod", layer: servicesLayer({}, sim), dryRun })
    const { plan } = await run(true)
    expect(plan.steps.map((s) => s.address)).toEqual(["backup/heroku", "migrations/m_1"])
    const { summary } = await run()
    expect(summary?.converged).toBe(true)
    expect(summary?.outputs).toMatchObject({
      backup: "b001",
      restore: "heroku pg:backups:restore b001 DATABASE_URL --app bk-heroku --confirm bk-heroku",
    })
    expect(await sql(url, `SELECT to_regclass('_prisma_skip')::text AS t`)).toEqual([{ t: "_prisma_skip" }])
    expect((await run(true)).plan.steps).toEqual([])

    const restore = await api.call("POST", `/client/v11/databases/${addon.id}/restores`, {
      body: { backup: "b001" },
    })
    expect(restore.status).toBe(201)
    const uuid = (restore.body as { uuid: string }).uuid
    const done = await waitFor(async () => {
      const t = (await api.call("GET", `/client/v11/apps/bk-heroku/transfers/${uuid}`)).body as {
        finished_at: string | null
        succeeded: boolean
      }
      return t.finished_at === null ? undefined : t
    }, 20_000)
    expect(done.succeeded).toBe(true)
    expect(
      await sql(url, `SELECT to_regclass('_prisma_skip')::text AS t, (SELECT count(*)::int FROM keep) AS n`),
    ).toEqual([{ t: null, n: 1 }])
  })

  it("heroku: a retry after a lost answer adopts the capture instead of starting another", async () => {
    const { api } = await herokuApp("bk-dropped")
    const dir = migrations({ d_1: 'CREATE TABLE "dropped_ok" (id int);\n' })
    const root = manifestDir({
      prod: release(
        "prod",
        `  app: { name: bk-dropped }\n  database:\n    url: { fromConfigVar: DATABASE_URL }\n    backup: { provider: heroku }\n    migrations: { dir: "${dir}", target: latest }\n`,
      ),
    })
    // every capture request is carried out, and its answer lost
    sim.setFaults({ commitThenDrop: [{ route: "POST /client/v11/databases/*/backups", rate: 1 }] })
    try {
      const { summary } = await reconcile({
        plugins,
        dir: join(root, "manifests"),
        env: "prod",
        layer: servicesLayer({}, sim),
      })
      expect(summary?.converged).toBe(true)
      expect(summary?.outputs.backup).toBe("b001")
      // the executor read the transfers before resending (the backup plugin's landed) and adopted b001
      expect(summary?.results.find((r) => r.plugin === "backup")).toMatchObject({
        status: "succeeded",
        attempts: 1,
        message: expect.stringMatching(
          /^found applied after a lost answer, not sent again: backup b001 captured/,
        ),
      })
    } finally {
      sim.setFaults({})
    }
    const transfers = (await api.call("GET", "/client/v11/apps/bk-dropped/transfers")).body as Array<unknown>
    expect(transfers).toHaveLength(1)
  })

  it("heroku: an apply right after another takes its own capture, never the previous run's", async () => {
    // The first apply backs up an empty database before m_1; the second, seconds later, must capture
    // the three tables (it once adopted the first run's capture, so its only backup was empty).
    const { api, url } = await herokuApp("bk-twice")
    const dir = migrations({ t_1: "CREATE TABLE a (id int); CREATE TABLE b (id int);\n" })
    const root = manifestDir({
      prod: release(
        "prod",
        `  app: { name: bk-twice }\n  database:\n    url: { fromConfigVar: DATABASE_URL }\n    backup: { provider: heroku }\n    migrations: { dir: "${dir}", target: latest }\n`,
      ),
    })
    const run = () =>
      reconcile({ plugins, dir: join(root, "manifests"), env: "prod", layer: servicesLayer({}, sim) })
    expect((await run()).summary?.outputs.backup).toBe("b001")
    await sql(url, "INSERT INTO a VALUES (1), (2), (3); INSERT INTO b VALUES (1)")
    migrations({ t_2: "CREATE TABLE later (id int);\n" }, dir)
    expect((await run()).summary?.outputs.backup).toBe("b002")
    const transfers = (await api.call("GET", "/client/v11/apps/bk-twice/transfers")).body as Array<{
      name: string
      processed_bytes: number
    }>
    expect(transfers.map((t) => t.name)).toEqual(["b001", "b002"])
    // each catalog entry describes its own capture: b001 of no tables, b002 of a and b with rows
    const catalog = await sql<{ id: string; counts: Record<string, number> }>(
      url,
      "SELECT id, counts FROM reconcile.backups ORDER BY id",
    )
    expect(catalog.map((r) => [r.id, r.counts["public.a"] ?? null, r.counts["public.b"] ?? null])).toEqual([
      ["b001", null, null],
      ["b002", 3, 1],
    ])
  })

  it("a failing backup provider keeps every migration from running", async () => {
    const { url } = await herokuApp("bk-fail")
    const dir = migrations({ f_1: 'CREATE TABLE "never" (id int);\n' })
    const root = manifestDir({
      prod: release(
        "prod",
        `  policy: { retries: 0 }\n  app: { name: bk-fail }\n  database:\n    url: { fromConfigVar: DATABASE_URL }\n    backup: { provider: heroku }\n    migrations: { dir: "${dir}", target: latest }\n`,
      ),
    })
    sim.setFaults({ errors: [{ route: "POST /client/v11/**", rate: 1, status: 503 }] })
    try {
      const { summary } = await reconcile({
        plugins,
        dir: join(root, "manifests"),
        env: "prod",
        layer: servicesLayer({}, sim),
      })
      expect(summary?.results.map((r) => [r.address, r.status])).toEqual([
        ["backup/heroku", "failed"],
        ["migrations/f_1", "skipped"],
      ])
      expect(summary?.converged).toBe(false)
    } finally {
      sim.setFaults({})
    }
    expect(
      await sql(url, `SELECT to_regclass('never')::text AS t, to_regclass('_prisma_migrations')::text AS l`),
    ).toEqual([{ t: null, l: null }])
  })

  it("pg_dump: a custom-format dump verified with pg_restore --list, under .reconcile/backups/<env>", async () => {
    const db = await database("bkdump")
    const env = `dumptest${process.pid}`
    const dir = migrations({ d_1: 'CREATE TABLE "d1" (id int);\n' })
    const root = manifestDir({
      [env]: release(
        env,
        `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: pg_dump }\n    migrations: { dir: "${dir}", target: latest }\n`,
      ),
    })
    try {
      const { summary } = await reconcile({
        plugins,
        dir: join(root, "manifests"),
        env,
        layer: servicesLayer({ DB_URL: db.url }),
      })
      expect(summary?.converged).toBe(true)
      const file = summary?.outputs.backup ?? ""
      expect(file).toContain(join(".reconcile", "backups", env))
      expect(existsSync(file)).toBe(true)
      // the dump holds all the data: owner-only, as is its folder
      expect((statSync(file).mode & 0o777).toString(8)).toBe("600")
      expect((statSync(join(".reconcile", "backups", env)).mode & 0o777).toString(8)).toBe("700")
      expect(summary?.outputs.restore).toBe(
        `pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${file}`,
      )
    } finally {
      rmSync(join(".reconcile", "backups", env), { recursive: true, force: true })
    }
  })
})
