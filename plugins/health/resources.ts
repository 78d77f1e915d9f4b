/**
 * Observing the resources the health section reports on besides the health URL: each dyno's state
 * (one GET /apps/{app}/dynos) and, only when `health.maxBackupAge` is set, the latest verified
 * backup (one Data API list for `provider: heroku`; the newest dump file for `pg_dump`). A reading
 * that fails is an `unknown` resource with the reason, never a failed plan.
 */
import { readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { PluginError, RunContext } from "../../engine/index.ts"
import { appNameIn, appPath } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { HealthSpec } from "./spec.ts"

/** A reading: the value, `missing` (the app does not exist yet), or why it could not be read. */
export type Reading<A> =
  | { readonly _tag: "Read"; readonly value: A }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Failed"; readonly error: string }

export interface LiveDyno {
  readonly name: string
  readonly type: string
  /** Heroku's dyno state: up, starting, restarting, crashed, down, idle. */
  readonly state: string
}

/** The newest verified backup, or null when there is none. */
export interface LatestBackup {
  readonly name: string
  readonly finishedAt: string
}

export interface ResourcesLive {
  readonly dynos: Reading<ReadonlyArray<LiveDyno>>
  /** Absent unless `health.maxBackupAge` is set (it costs a request). */
  readonly backup?: Reading<LatestBackup | null>
}

const Dyno = Schema.Struct({ name: Schema.String, type: Schema.String, state: Schema.String })

const Transfer = Schema.Struct({
  num: Schema.Number,
  succeeded: Schema.Boolean,
  to_type: Schema.String,
  from_name: Schema.optional(Schema.NullOr(Schema.String)),
  finished_at: Schema.NullOr(Schema.String),
  processed_bytes: Schema.Number,
})

const read = <A>(effect: Effect.Effect<A, PluginError>): Effect.Effect<Reading<A>> =>
  effect.pipe(
    Effect.map((value): Reading<A> => ({ _tag: "Read", value })),
    Effect.catchAll(
      (e): Effect.Effect<Reading<A>> =>
        Effect.succeed(e.reason === "NotFound" ? { _tag: "Missing" } : { _tag: "Failed", error: e.message }),
    ),
  )

interface DatabaseBackupSpec {
  readonly url?: { readonly fromConfigVar?: string }
  readonly backup?: { readonly provider?: string; readonly addon?: string }
}

/** The attachment whose backups count: `backup.addon`, else the url's config var without `_URL`. */
const attachmentOf = (db: DatabaseBackupSpec): string =>
  db.backup?.addon ?? db.url?.fromConfigVar?.replace(/_URL$/, "") ?? "DATABASE"

/** Pure: the newest succeeded, non-empty capture of the attachment. */
export const latestVerified = (
  transfers: ReadonlyArray<typeof Transfer.Type>,
  attachment: string,
): LatestBackup | null => {
  const ok = transfers
    .filter(
      (t) =>
        t.to_type === "gof3r" &&
        t.succeeded &&
        t.processed_bytes > 0 &&
        t.finished_at !== null &&
        (t.from_name == null || t.from_name === attachment),
    )
    .sort((a, b) => b.num - a.num)[0]
  return ok === undefined
    ? null
    : { name: `b${String(ok.num).padStart(3, "0")}`, finishedAt: ok.finished_at ?? "" }
}

/** The newest non-empty dump the pg_dump provider wrote for this environment (its folder as in backup). */
const latestDump = (env: string): LatestBackup | null => {
  const folder = resolve(".reconcile/backups", env)
  const dumps = (() => {
    try {
      return readdirSync(folder).filter((f) => f.endsWith(".dump"))
    } catch {
      return []
    }
  })()
  const stats = dumps
    .map((f) => ({ name: f, stat: statSync(join(folder, f), { throwIfNoEntry: false }) }))
    .filter((d) => d.stat !== undefined && d.stat.size > 0)
    .sort((a, b) => (b.stat?.mtimeMs ?? 0) - (a.stat?.mtimeMs ?? 0))[0]
  return stats?.stat === undefined ? null : { name: stats.name, finishedAt: stats.stat.mtime.toISOString() }
}

/** The latest backup as the manifest's provider keeps them; the Data API is used when provided. */
const observeBackup = (app: string, ctx: RunContext): Effect.Effect<Reading<LatestBackup | null>> => {
  const db = (ctx.spec.database ?? {}) as DatabaseBackupSpec
  const provider = db.backup?.provider
  if (provider === "pg_dump")
    return Effect.sync((): Reading<LatestBackup | null> => ({ _tag: "Read", value: latestDump(ctx.env) }))
  if (provider !== "heroku") return Effect.succeed({ _tag: "Read", value: null })
  return Effect.flatMap(Effect.serviceOption(HerokuDataApi), (data) =>
    Option.isNone(data)
      ? Effect.succeed<Reading<LatestBackup | null>>({ _tag: "Failed", error: "no Data API configured" })
      : read(
          data.value
            .list(`/client/v11/apps/${encodeURIComponent(app)}/transfers`, Transfer, { field: "num" })
            .pipe(Effect.map((transfers) => latestVerified(transfers, attachmentOf(db)))),
        ),
  )
}

/** Dynos (and the latest backup when a limit is set) of the context's app. */
export const observeResources = (
  spec: HealthSpec,
  ctx: RunContext,
): Effect.Effect<ResourcesLive, never, HerokuApi> =>
  Effect.gen(function* () {
    const app = appNameIn(ctx.spec)
    if (app === undefined) return { dynos: { _tag: "Missing" } } satisfies ResourcesLive
    const api = yield* HerokuApi
    const dynos = yield* read(
      api
        .list(appPath(app, "/dynos"), Dyno)
        .pipe(Effect.map((ds) => [...ds].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))),
    )
    if (spec.maxBackupAge === undefined) return { dynos } satisfies ResourcesLive
    return { dynos, backup: yield* observeBackup(app, ctx) } satisfies ResourcesLive
  }).pipe(Effect.withSpan("health.observeResources"))
