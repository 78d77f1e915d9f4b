/**
 * One apply per environment: a session advisory lock on the environment's database, with our own
 * key derived from the environment name (not Prisma's 72707369), on a connection whose
 * application_name says who holds it. A second apply fails at once with LockHeldError naming the
 * holder (read back from pg_stat_activity joined to pg_locks). Released when the scope closes.
 */
import { createHash } from "node:crypto"
import { hostname } from "node:os"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { LockHeldError, type PluginError, type RunContext } from "../../engine/index.ts"
import type { HerokuApi } from "../heroku/HerokuApi.ts"
import { connect, dbTimeoutsOf, query } from "./connect.ts"
import { claimFirstApply, otherClaim } from "./firstApply.ts"
import type { DatabaseUrl } from "./section.ts"
import { databaseOf, resolveDatabaseUrl } from "./url.ts"

/** A signed 64-bit advisory lock key (as a decimal string) for a purpose and environment. */
export const lockKey = (purpose: string, env: string): string =>
  createHash("sha256").update(`reconcile:${purpose}:${env}`).digest().readBigInt64BE(0).toString()

/** The two 32-bit halves pg_locks shows for a bigint advisory key. */
const halves = (key: string): [number, number] => {
  const k = BigInt.asUintN(64, BigInt(key))
  return [Number(k >> 32n), Number(k & 0xffffffffn)]
}

/** What the lock connection calls itself, e.g. `reconcile apply production pid 123 on host since 10:02:03Z`. */
export const holderName = (env: string, now: Date): string => {
  const since = `${now.toISOString().slice(11, 19)}Z`
  const head = `reconcile apply ${env} pid ${process.pid} on `
  const tail = ` since ${since}`
  return `${head}${hostname().slice(0, Math.max(4, 63 - head.length - tail.length))}${tail}`
}

const holderOf = (client: import("pg").Client, key: string) =>
  query<{ application_name: string; pid: number }>(
    client,
    `SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    halves(key),
  ).pipe(
    Effect.map((r) => {
      const row = r.rows[0]
      if (row === undefined) return "holder unknown"
      return row.application_name === "" ? `backend pid ${row.pid}` : row.application_name
    }),
  )

/** The advisory lock on `url` for the scope, or LockHeldError naming its holder. */
const advisoryLock = (ctx: RunContext, url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    const key = lockKey("apply", ctx.env)
    const client = yield* connect(
      url,
      dbTimeoutsOf(ctx.spec),
      holderName(ctx.env, new Date(yield* Clock.currentTimeMillis)),
    )
    const got = yield* query<{ ok: boolean }>(client, "SELECT pg_try_advisory_lock($1) AS ok", [key])
    if (got.rows[0]?.ok !== true) {
      const holder = yield* holderOf(client, key)
      return yield* Effect.fail(new LockHeldError({ env: ctx.env, holder }))
    }
    yield* Effect.addFinalizer(() =>
      query(client, "SELECT pg_advisory_unlock($1)", [key]).pipe(Effect.ignore),
    )
  })

/**
 * Once the database of a first apply appears, takes its advisory lock for the rest of the run (in
 * the run's scope), so later applies meet the usual lock (firstApply.ts).
 */
const handOver = (ctx: RunContext, url: DatabaseUrl, scope: Scope.Scope) =>
  Effect.gen(function* () {
    for (;;) {
      yield* Effect.sleep("1 second")
      const found = yield* resolveDatabaseUrl(url, ctx.spec).pipe(Effect.orElseSucceed(() => Option.none()))
      if (Option.isSome(found)) {
        yield* Scope.extend(advisoryLock(ctx, found.value), scope).pipe(
          Effect.catchAll((e) => Effect.logWarning(`the new database's lock was not taken: ${e.message}`)),
        )
        return
      }
    }
  })

/**
 * What a first-apply claim is named after: the environment and the Heroku app it targets, since the
 * same environment name (say `production`) can point at different apps from one working directory.
 */
const claimName = (ctx: RunContext): string => {
  const app = ctx.spec.app as { readonly name?: unknown } | undefined
  return typeof app?.name === "string" ? `${ctx.env}.${app.name}` : ctx.env
}

/**
 * Takes the environment's apply lock for the scope (the CLI's `lock` hook): the database's advisory
 * lock, or before the database exists the first apply's claim, handed over to the database lock
 * once the database appears. Without a database section there is nothing to lock.
 */
export const databaseLock = (
  ctx: RunContext,
): Effect.Effect<void, LockHeldError | PluginError, Scope.Scope | HerokuApi> =>
  Effect.gen(function* () {
    const db = databaseOf(ctx.spec)
    if (db === undefined || ctx.dryRun) return
    const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
    const holder = holderName(ctx.env, new Date(yield* Clock.currentTimeMillis))
    if (Option.isNone(url)) {
      yield* claimFirstApply(claimName(ctx), ctx.env, holder)
      const scope = yield* Effect.scope
      yield* Effect.forkIn(handOver(ctx, db.url, scope), scope)
      return
    }
    yield* advisoryLock(ctx, url.value)
    // a first apply still running (it took the database lock in a moment's time, or not yet)
    const first = otherClaim(claimName(ctx))
    if (first !== undefined)
      return yield* Effect.fail(new LockHeldError({ env: ctx.env, holder: first.holder }))
  })
