/**
 * What `backup restore` and `backup verify` start with: the environment's database section with a
 * provider that keeps backups, and the backup the user named (or, for verify, the newest one).
 */
import * as Effect from "effect/Effect"
import { PluginError, type RunContext, suggest } from "../../engine/index.ts"
import { type BackupInfo, listBackups } from "./listing.ts"
import type { DatabaseSpec } from "./spec.ts"

/** The database section and its backup provider, or why `verb` has nothing to work on. */
export const backupEnvironment = (ctx: RunContext, verb: "restore" | "verify") => {
  const db = ctx.spec.database as DatabaseSpec | undefined
  const provider = db?.backup?.provider
  return db === undefined || (provider !== "heroku" && provider !== "pg_dump")
    ? Effect.fail(
        PluginError.invalid(
          `${ctx.env} has no heroku or pg_dump backups to ${verb} (database.backup.provider is ${provider ?? "unset"})`,
        ),
      )
    : Effect.succeed({ db, provider })
}

const listHint = (env: string) => `reconcile backup list --env ${env} shows them`

/** The backup named `id` (a name, or a dump's path or file name), else the newest captured one. Pure. */
export const pickBackup = (env: string, all: ReadonlyArray<BackupInfo>, id: string | undefined) => {
  const found =
    id === undefined
      ? [...all].reverse().find((b) => b.captured)
      : all.find((b) => b.id === id || b.id.endsWith(`/${id}`))
  if (found !== undefined) return Effect.succeed(found)
  if (id === undefined)
    return Effect.fail(
      new PluginError({
        reason: "NotFound",
        detail: `${env} has no captured backup yet (an apply takes one before it migrates)`,
      }),
    )
  const close = suggest(
    id,
    all.map((b) => b.id.split("/").at(-1) ?? b.id),
  )
  const known = all.length === 0 ? `${env} has no backups yet` : listHint(env)
  return Effect.fail(
    new PluginError({
      reason: "NotFound",
      detail: `no backup ${id} in ${env}${close === undefined ? "" : ` (did you mean ${close}?)`}; ${known}`,
    }),
  )
}

/** Lists the environment's backups and picks one (see `pickBackup`). */
export const chosenBackup = (ctx: RunContext, id: string | undefined) =>
  Effect.flatMap(listBackups(ctx), (all) => pickBackup(ctx.env, all, id))

/** A restore needs an explicit backup: which one, and how to find it. */
export const backupRequired = (env: string, all: ReadonlyArray<BackupInfo>) => {
  const newest = [...all].reverse().find((b) => b.captured)
  return PluginError.invalid(
    `backup restore needs --backup ID${newest === undefined ? "" : ` (the newest is ${newest.id})`}; ${listHint(env)}`,
  )
}
