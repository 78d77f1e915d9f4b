/**
 * `reconcile backup verify`: a restore test. The backup is restored into a scratch database, the
 * migration ledger and every table's row count are compared with the source at backup time (the
 * catalog's snapshot), the recovery time (fetch + restore) is printed, the scratch database is
 * dropped, and any difference fails the command. The outcome is recorded in the catalog.
 * `RECONCILE_TEST_VERIFY_DELETE=TABLE` (a test hook) deletes a row of TABLE from the scratch copy
 * after the restore, so a test can see a difference caught.
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import { PluginError, type RunContext, SecretEnv } from "../../engine/index.ts"
import { query, scrub } from "../../services/database/connect.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { recordVerified, snapshot } from "./catalog.ts"
import { backupEnvironment, chosenBackup } from "./environment.ts"
import { connection, exec } from "./pgDump.ts"
import { onDatabase } from "./record.ts"
import { compare, verifyText } from "./render.ts"
import { localDump, scratchDatabase } from "./scratch.ts"

/** The test hook's variable. */
export const deleteHook = "RECONCILE_TEST_VERIFY_DELETE"

/** Restores `file` into `url` in one transaction (no owners or grants from the source). */
export const pgRestore = (url: Redacted.Redacted<string>, file: string, extra: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const { dbname, env } = connection(url)
    const ran = yield* exec(
      "pg_restore",
      [
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
        ...extra,
        "--dbname",
        dbname,
        file,
      ],
      env,
    )
    if (ran.code !== 0)
      return yield* Effect.fail(
        PluginError.invalid(`pg_restore failed: ${scrub(url, ran.stderr.trim()) || `exit ${ran.code}`}`),
      )
  })

const noScratchServer =
  "backup verify restores into a scratch database: name a Postgres server with --scratch-server URL (a database is created there and dropped afterwards)"

/** Runs the restore test; fails (after printing the report) when anything differs. */
export const verifyBackup = (
  ctx: RunContext,
  flags: { readonly backup?: string; readonly server?: Redacted.Redacted<string> },
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const { db, provider } = yield* backupEnvironment(ctx, "verify")
      // the backup first (a wrong id is the likelier mistake); without a scratch server too, both
      // are said at once, so one correction fixes the command
      const backup = yield* chosenBackup(ctx, flags.backup).pipe(
        Effect.mapError((e) =>
          flags.server === undefined
            ? new PluginError({ reason: e.reason, detail: `${e.detail}; also, ${noScratchServer}` })
            : e,
        ),
      )
      if (flags.server === undefined) return yield* Effect.fail(PluginError.invalid(noScratchServer))
      const entry = backup.entry
      if (entry === undefined)
        return yield* Effect.fail(
          PluginError.invalid(
            `backup ${backup.id} has no recorded row counts (it was not taken by reconcile apply or backup restore), so it cannot be compared`,
          ),
        )
      const scratch = yield* scratchDatabase(flags.server, ctx.spec)
      const started = yield* Clock.currentTimeMillis
      const file = yield* localDump(ctx, backup, provider)
      yield* pgRestore(scratch.url, file)
      const recoveryMs = (yield* Clock.currentTimeMillis) - started
      const hook = (yield* SecretEnv).get(deleteHook)
      if (hook !== undefined && hook !== "")
        yield* onDatabase(scratch.url, ctx.spec, (c) =>
          query(
            c,
            `DELETE FROM "${hook.replace(/"/g, '""')}" WHERE ctid IN (SELECT ctid FROM "${hook.replace(/"/g, '""')}" LIMIT 1)`,
          ),
        )
      const restored = yield* onDatabase(scratch.url, ctx.spec, snapshot)
      const lines = compare(entry, restored)
      const ok = lines.every((l) => l.same)
      yield* Console.log(verifyText(backup.id, lines, recoveryMs))
      const source = yield* requireDatabaseUrl(db.url, ctx.spec)
      const at = new Date(yield* Clock.currentTimeMillis)
      yield* onDatabase(source, ctx.spec, (c) => recordVerified(c, backup.id, ok, at, recoveryMs)).pipe(
        Effect.catchAll((e) =>
          Console.error(`note: the restore test's outcome was not recorded: ${e.message}`),
        ),
      )
      if (!ok)
        return yield* Effect.fail(
          PluginError.invalid(
            `restore test of backup ${backup.id} failed: the restored copy differs from the source`,
          ),
        )
      return `scratch database ${scratch.name} dropped`
    }),
  )
