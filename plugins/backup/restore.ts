/**
 * `reconcile backup restore`: replaces the environment's database with a backup. Destructive, so it
 * needs `--allow-destroy`, and runs under the environment's apply lock. A backup of the current
 * state is taken (and recorded) first, so the restore itself can be undone. The product's own
 * ledgers of backups and runs are carried across the restore: a restore must not forget the
 * backups and runs that came after the one restored.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type pg from "pg"
import { type ApplyResult, type Done, PluginError, type RunContext } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"
import { databaseLock } from "../../services/database/lock.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { catalogTable } from "./catalog.ts"
import { backupEnvironment, backupRequired, pickBackup } from "./environment.ts"
import { findAttachment, herokuBackup } from "./heroku.ts"
import { type BackupInfo, listBackups } from "./listing.ts"
import { pgDumpBackup } from "./pgDump.ts"
import { onDatabase, remember, trySnapshot, whenDone } from "./record.ts"
import type { DatabaseSpec } from "./spec.ts"
import { pgRestore } from "./verify.ts"

/** The product's ledgers a restore carries across (each has a text `id` primary key). */
const kept = [catalogTable, `"_reconcile_runs"`] as const

interface Saved {
  readonly table: string
  readonly columns: string
  readonly rows: string
}

const save = (c: pg.Client) =>
  Effect.forEach(kept, (table) =>
    Effect.gen(function* () {
      const cols = yield* query<{ columns: string | null }>(
        c,
        `SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS columns
         FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
        [table],
      )
      const columns = cols.rows[0]?.columns
      if (columns == null) return []
      const rows = yield* query<{ rows: string }>(
        c,
        `SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${table} t`,
      )
      return [{ table, columns, rows: rows.rows[0]?.rows ?? "[]" }]
    }),
  ).pipe(Effect.map((x): ReadonlyArray<Saved> => x.flat()))

const putBack = (c: pg.Client, saved: ReadonlyArray<Saved>) =>
  Effect.forEach(saved, (s) =>
    Effect.zipRight(
      query(
        c,
        `CREATE SCHEMA IF NOT EXISTS reconcile; CREATE TABLE IF NOT EXISTS ${s.table} (${s.columns}, PRIMARY KEY (id))`,
      ),
      query(
        c,
        `INSERT INTO ${s.table} SELECT r.* FROM json_populate_recordset(NULL::${s.table}, $1::json) r
         WHERE NOT EXISTS (SELECT 1 FROM ${s.table} t WHERE t.id = r.id)`,
        [s.rows],
      ),
    ),
  )

/** Runs an apply result's Pending checks to the end (bounded by `limit`). */
const settle = <R>(r: ApplyResult<R>): Effect.Effect<Done, PluginError, R> =>
  r._tag === "Done"
    ? Effect.succeed(r)
    : Effect.sleep(r.interval ?? "1 second").pipe(
        Effect.zipRight(r.check),
        Effect.flatMap((next) => settle(next)),
      )

const limit = Duration.minutes(30)

/** A backup of the current state, recorded with its row counts, as an apply takes one. */
export const backupNow = (db: DatabaseSpec, ctx: RunContext, url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    const now = new Date(yield* Clock.currentTimeMillis)
    const snap = yield* trySnapshot(url, ctx.spec)
    const captured = yield* db.backup?.provider === "heroku" ? herokuBackup(db, ctx) : pgDumpBackup(url, ctx)
    const result = yield* settle(yield* whenDone(captured, remember(url, ctx.spec, ctx.env, now, snap)))
    return result.outputs?.backup ?? "(unnamed)"
  }).pipe(
    Effect.timeoutFail({
      duration: limit,
      onTimeout: () => PluginError.invalid("the backup did not finish in 30 minutes"),
    }),
  )

const Transfer = Schema.Struct({
  uuid: Schema.String,
  finished_at: Schema.NullOr(Schema.String),
  succeeded: Schema.Boolean,
})

const herokuRestore = (db: DatabaseSpec, app: string, name: string) =>
  Effect.gen(function* () {
    const data = yield* HerokuDataApi
    const found = yield* findAttachment(app, db)
    const started = yield* data.send(
      "POST",
      `/client/v11/databases/${found.addon.id}/restores`,
      { backup: name },
      Transfer,
    )
    const poll: Effect.Effect<typeof Transfer.Type, PluginError> = data
      .get(`/client/v11/apps/${encodeURIComponent(app)}/transfers/${started.uuid}`, Transfer)
      .pipe(
        Effect.flatMap((t) =>
          t.finished_at === null ? Effect.zipRight(Effect.sleep("1 second"), poll) : Effect.succeed(t),
        ),
      )
    const t = yield* poll.pipe(
      Effect.timeoutFail({
        duration: limit,
        onTimeout: () => PluginError.invalid("the restore did not finish in 30 minutes"),
      }),
    )
    if (!t.succeeded)
      return yield* Effect.fail(PluginError.invalid(`restoring ${name} failed (see heroku pg:backups:info)`))
  })

/** What a restore did, for the message and the run history. */
export interface Restored {
  readonly restored: string
  readonly safety: string
}

/** What a restore starts from: the provider and the backup the user named. */
export interface RestoreTarget {
  readonly db: DatabaseSpec
  readonly provider: "heroku" | "pg_dump"
  readonly backup: BackupInfo
}

/** Resolves the restore's target (reads only). */
export const restoreTarget = (ctx: RunContext, id: string | undefined) =>
  Effect.gen(function* () {
    const { db, provider } = yield* backupEnvironment(ctx, "restore")
    const all = yield* listBackups(ctx)
    if (id === undefined) return yield* Effect.fail(backupRequired(ctx.env, all))
    const backup = yield* pickBackup(ctx.env, all, id)
    if (!backup.captured)
      return yield* Effect.fail(PluginError.invalid(`backup ${backup.id} did not capture anything`))
    return { db, provider, backup } satisfies RestoreTarget
  })

/** Why a restore without `--allow-destroy` changed nothing. */
export const refusal = (env: string, backupId: string) =>
  PluginError.invalid(
    `restoring replaces ${env}'s database with backup ${backupId}; nothing was changed. Add --allow-destroy to do it (--dry-run shows what it would do)`,
  )

/** Restores the target's backup into the environment's database, under the lock (the caller checked --allow-destroy). */
export const restoreBackup = (ctx: RunContext, target: RestoreTarget) =>
  Effect.scoped(
    Effect.gen(function* () {
      const { db, provider, backup } = target
      yield* databaseLock({ ...ctx, dryRun: false })
      const url = yield* requireDatabaseUrl(db.url, ctx.spec)
      const safety = yield* backupNow(db, ctx, url)
      const saved = yield* onDatabase(url, ctx.spec, save)
      if (provider === "heroku") yield* herokuRestore(db, appNameIn(ctx.spec) ?? "", backup.id)
      else yield* pgRestore(url, backup.id, ["--clean", "--if-exists"])
      yield* onDatabase(url, ctx.spec, (c) => putBack(c, saved))
      return { restored: backup.id, safety } satisfies Restored
    }),
  )
