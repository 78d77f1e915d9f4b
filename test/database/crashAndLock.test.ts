/**
 * Crash safety and the apply lock: a process killed with SIGKILL in the middle of a migration leaves
 * no half-applied migration (in a first deploy's one-transaction wave, nothing at all) and the next
 * run converges; two concurrent applies, exactly one runs and the other fails with LockHeldError
 * within 2 s, naming who holds the lock.
 */
import { spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import type { RunContext } from "../../engine/plugin/Plugin.ts"
import { createLedgerSql } from "../../plugins/migrations/ledger.ts"
import { databaseLock } from "../../services/database/lock.ts"
import { cliFixture } from "../support/cliFixture.ts"
import { reconcile } from "../support/engine.ts"
import { databasePlugins, release, servicesLayer, sql } from "./support.ts"

const fx = cliFixture({ prefix: "crash-lock", sim: false })

const sleeper = (seconds: number) => {
  const dir = fx.scratch("reconcile-sleep-")
  const files: Record<string, string> = {
    k_1: 'CREATE TABLE "k1" (id int);\n',
    k_2: `CREATE TABLE "k2" (id int);\nSELECT pg_sleep(${seconds});\nCREATE TABLE "k2b" (id int);\n`,
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name))
    writeFileSync(join(dir, name, "migration.sql"), text)
  }
  return dir
}

const setup = async (seconds: number) => {
  const db = await fx.database("crash")
  const dir = sleeper(seconds)
  fx.write(
    "test",
    release(
      "test",
      `  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n    migrations: { dir: "${dir}", target: latest }\n`,
    ),
  )
  return { db, manifests: fx.manifests }
}

const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

/** How many other sessions on the database are inside a migration's pg_sleep. */
const sleeping = async (url: string) =>
  (
    await sql<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`,
    )
  )[0]?.n ?? 0

describe("crash safety and the apply lock", () => {
  /** Starts an apply in a child process and SIGKILLs it inside k_2's pg_sleep. */
  const killInsideK2 = async (url: string, manifests: string) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/database/migrateChild.ts", manifests, "test"],
      {
        env: { ...process.env, DB_URL: url },
        stdio: "ignore",
      },
    )
    const exited = new Promise((r) => child.once("exit", r))
    try {
      // a generous deadline: the child compiles the engine with tsx first (over 20 s on a loaded machine)
      expect(await until(async () => (await sleeping(url)) > 0, 120_000)).toBe(true)
    } finally {
      // never left running: it would apply while the next test rewrites the manifest
      child.kill("SIGKILL")
    }
    await exited
    expect(await until(async () => (await sleeping(url)) === 0, 30_000)).toBe(true)
  }

  const converges = async (url: string, manifests: string) => {
    const next = await reconcile({
      plugins: databasePlugins,
      dir: manifests,
      env: "test",
      layer: servicesLayer({ DB_URL: url }),
    })
    expect(next.summary?.converged).toBe(true)
    expect(await sql(url, `SELECT to_regclass('k1')::text AS a, to_regclass('k2b')::text AS b`)).toEqual([
      { a: "k1", b: "k2b" },
    ])
  }

  it("SIGKILL in the middle of a migration leaves nothing half-applied; the next run converges", async () => {
    const { db, manifests } = await setup(3)
    // a later deploy (the ledger exists): each migration commits on its own, so k_1 stays
    await sql(db.url, createLedgerSql)
    await killInsideK2(db.url, manifests)
    expect(await sql(db.url, `SELECT to_regclass('k2')::text AS a, to_regclass('k1')::text AS b`)).toEqual([
      { a: null, b: "k1" },
    ])
    expect(await sql(db.url, `SELECT migration_name FROM _prisma_migrations ORDER BY 1`)).toEqual([
      { migration_name: "k_1" },
    ])
    await converges(db.url, manifests)
  }, 180_000)

  it("SIGKILL in the middle of a first deploy's wave leaves the schema empty; the next run applies it all", async () => {
    const { db, manifests } = await setup(3)
    await killInsideK2(db.url, manifests)
    // the wave was one transaction: k_1, k_2's first half and the ledger itself are all gone
    expect(
      await sql(
        db.url,
        `SELECT to_regclass('k1')::text AS a, to_regclass('k2')::text AS b, to_regclass('_prisma_migrations')::text AS l`,
      ),
    ).toEqual([{ a: null, b: null, l: null }])
    await converges(db.url, manifests)
    expect(await sql(db.url, `SELECT migration_name FROM _prisma_migrations ORDER BY 1`)).toEqual([
      { migration_name: "k_1" },
      { migration_name: "k_2" },
    ])
  }, 180_000)

  it("two concurrent applies: exactly one applies, the other fails with LockHeldError within 2 s", async () => {
    // the winner holds the lock for 3 s of its second migration: the loser tries inside that time
    const { db, manifests } = await setup(3)
    const ctx: RunContext = {
      env: "test",
      spec: { database: { url: Redacted.make(db.url) } },
      manifestDir: manifests,
      dryRun: false,
    }
    const apply = Effect.scoped(
      Effect.zipRight(
        databaseLock(ctx),
        Effect.promise(() =>
          reconcile({
            plugins: databasePlugins,
            dir: manifests,
            env: "test",
            layer: servicesLayer({ DB_URL: db.url }),
          }),
        ),
      ),
    ).pipe(Effect.provide(servicesLayer({ DB_URL: db.url })), Effect.either, Effect.timed)
    let firstSettled = false
    const first = Effect.runPromise(apply).finally(() => {
      firstSettled = true
    })
    // not a fixed head start: the second apply starts once the first holds the lock (it is migrating)
    expect(await until(async () => (await sleeping(db.url)) > 0, 120_000)).toBe(true)
    const [, second] = await Effect.runPromise(apply)
    // refused at once, not after waiting for the lock: the first apply is still in its migration
    const refusedWhileHeld = !firstSettled
    const [, winner] = await first
    expect(winner._tag).toBe("Right")
    if (winner._tag === "Right") expect(winner.right.summary?.converged).toBe(true)
    expect(second._tag).toBe("Left")
    if (second._tag === "Left") {
      expect(second.left._tag).toBe("LockHeldError")
      expect(second.left.message).toContain(`reconcile apply test pid ${process.pid} on `)
      expect(second.left.message).toMatch(/since \d\d:\d\d:\d\dZ/)
    }
    expect(refusedWhileHeld).toBe(true)
    const dry = await Effect.runPromise(
      Effect.scoped(databaseLock({ ...ctx, dryRun: true })).pipe(Effect.provide(servicesLayer({}))),
    )
    expect(dry).toBeUndefined()
    expect(await sql(db.url, `SELECT count(*)::int AS n FROM _prisma_migrations`)).toEqual([{ n: 2 }])
  }, 180_000)
})
