/**
 * The backups of an environment, as `reconcile backup list` shows them: the provider's own record
 * (the Data API's transfers, or the dump files under `.reconcile/backups/<env>/`) joined with the
 * catalog in the environment's database (row counts, restore tests) and the app's releases (the
 * release each backup preceded: the first one created after it).
 */
import { readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { PluginError, type RunContext } from "../../engine/index.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { releases } from "../../services/heroku/releases.ts"
import { type CatalogEntry, readCatalog } from "./catalog.ts"
import { backupName } from "./heroku.ts"
import { onDatabase } from "./record.ts"
import type { DatabaseSpec } from "./spec.ts"

/** One backup as listed. */
export interface BackupInfo {
  readonly id: string
  readonly takenAt: string
  readonly bytes: number
  /** The capture succeeded with data in it (what an apply checks before it migrates). */
  readonly captured: boolean
  /** The last restore test: passed, failed, or never run. */
  readonly restoreTest: "passed" | "failed" | null
  readonly testedAt: string | null
  readonly recoveryMs: number | null
  /** The release created first after the backup (the one it preceded), e.g. "v12". */
  readonly release: string | null
  /** The catalog entry (row counts, ledger) when the backup was recorded. */
  readonly entry: CatalogEntry | undefined
}

const Listed = Schema.Struct({
  uuid: Schema.String,
  num: Schema.Number,
  name: Schema.optional(Schema.String),
  to_type: Schema.String,
  succeeded: Schema.Boolean,
  processed_bytes: Schema.Number,
  created_at: Schema.String,
})

interface Raw {
  readonly id: string
  readonly takenAt: string
  readonly bytes: number
  readonly captured: boolean
}

/** The backups the provider holds, oldest first. */
const rawBackups = (db: DatabaseSpec, ctx: RunContext, catalog: ReadonlyArray<CatalogEntry>) =>
  Effect.gen(function* () {
    if (db.backup?.provider === "heroku") {
      const app = appNameIn(ctx.spec) ?? ""
      const data = yield* HerokuDataApi
      const all = yield* data.list(`/client/v11/apps/${encodeURIComponent(app)}/transfers`, Listed, {
        field: "num",
      })
      return all
        .filter((t) => t.to_type === "gof3r")
        .map((t) => ({
          id: t.name ?? backupName(t.num),
          takenAt: t.created_at,
          bytes: t.processed_bytes,
          captured: t.succeeded && t.processed_bytes > 0,
        }))
    }
    if (db.backup?.provider === "pg_dump") return dumpFiles(ctx.env, catalog)
    return yield* Effect.fail(
      PluginError.invalid(
        `${ctx.env} declares no backup provider (database.backup.provider is none or unset)`,
      ),
    )
  })

/** The dump files of `env` in `.reconcile/backups/<env>/` (the id is the path an apply printed). */
const dumpFiles = (env: string, catalog: ReadonlyArray<CatalogEntry>): ReadonlyArray<Raw> => {
  const folder = resolve(".reconcile/backups", env)
  let names: ReadonlyArray<string>
  try {
    names = readdirSync(folder).filter((n) => n.endsWith(".dump"))
  } catch {
    return []
  }
  return names
    .map((n) => {
      const file = join(folder, n)
      const st = statSync(file)
      const known = catalog.find((e) => e.id === file)
      return {
        id: file,
        takenAt: known?.takenAt ?? st.mtime.toISOString(),
        bytes: st.size,
        captured: st.size > 0,
      }
    })
    .sort((a, b) => (a.takenAt < b.takenAt ? -1 : 1))
}

/** The release each backup preceded: the first one created after it. Pure. */
export const precededBy = (
  takenAt: string,
  all: ReadonlyArray<{ readonly version: number; readonly created_at: string }>,
): string | null => {
  const next = all
    .filter((r) => Date.parse(r.created_at) > Date.parse(takenAt))
    .sort((a, b) => a.version - b.version)[0]
  return next === undefined ? null : `v${next.version}`
}

/** Every backup of the environment, oldest first. */
export const listBackups = (ctx: RunContext) =>
  Effect.gen(function* () {
    const db = ctx.spec.database as DatabaseSpec | undefined
    if (db === undefined)
      return yield* Effect.fail(
        PluginError.invalid(`${ctx.env} has no database section: nothing is backed up`),
      )
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    const catalog = yield* onDatabase(url, ctx.spec, (c) => readCatalog(c, ctx.env))
    const raw = yield* rawBackups(db, ctx, catalog)
    const app = appNameIn(ctx.spec)
    const rel =
      app === undefined
        ? []
        : yield* releases(app).pipe(Effect.option, Effect.map(Option.getOrElse(() => [])))
    return raw.map((b): BackupInfo => {
      const entry = catalog.find((e) => e.id === b.id)
      return {
        ...b,
        restoreTest: entry?.verified == null ? null : entry.verified ? "passed" : "failed",
        testedAt: entry?.verifiedAt ?? null,
        recoveryMs: entry?.recoveryMs ?? null,
        release: precededBy(b.takenAt, rel),
        entry,
      }
    })
  })
