/**
 * What a restore test restores into and from: a scratch database created on a server the user
 * names (`--scratch-server`) and dropped with the scope, and the backup as a local file (a pg_dump
 * file as it is; a Heroku backup downloaded through the Data API's public URL into a private
 * temporary folder removed with the scope).
 */
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { PluginError, type RunContext } from "../../engine/index.ts"
import { query, whereOf } from "../../services/database/connect.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { BackupInfo } from "./listing.ts"
import { onDatabase } from "./record.ts"

/** A new, empty database on `server`, dropped (even if still in use) when the scope closes. */
export const scratchDatabase = (
  server: Redacted.Redacted<string>,
  spec: Readonly<Record<string, unknown>>,
) => {
  const name = `reconcile_verify_${randomBytes(5).toString("hex")}`
  const url = (() => {
    const u = new URL(Redacted.value(server))
    u.pathname = `/${name}`
    return Redacted.make(u.toString())
  })()
  const admin = (sql: string) => onDatabase(server, spec, (c) => query(c, sql), "reconcile verify")
  return Effect.acquireRelease(
    admin(`CREATE DATABASE "${name}"`).pipe(
      Effect.mapError(
        (e) =>
          new PluginError({
            reason: e.reason,
            detail: `cannot create a scratch database on ${whereOf(server)}: ${e.message}`,
          }),
      ),
      Effect.as({ name, url }),
    ),
    () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).pipe(Effect.ignore),
  )
}

const PublicUrl = Schema.Struct({ url: Schema.String })

/** The backup as a local file, for pg_restore (removed with the scope when downloaded). */
export const localDump = (ctx: RunContext, backup: BackupInfo, provider: "heroku" | "pg_dump") =>
  Effect.gen(function* () {
    if (provider === "pg_dump") return backup.id
    const app = encodeURIComponent(appNameIn(ctx.spec) ?? "")
    const num = String(Number(backup.id.replace(/^[a-z]/, "")))
    const data = yield* HerokuDataApi
    const link = yield* data.send(
      "POST",
      `/client/v11/apps/${app}/transfers/${num}/actions/public-url`,
      {},
      PublicUrl,
    )
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "reconcile-backup-"))),
      (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true })),
    )
    const file = join(dir, `${backup.id}.dump`)
    // a presigned URL: no API token goes with it
    yield* Effect.tryPromise({
      try: async () => {
        const res = await fetch(link.url)
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        writeFileSync(file, Buffer.from(await res.arrayBuffer()), { mode: 0o600 })
      },
      catch: (e) =>
        new PluginError({
          reason: "Unavailable",
          detail: `cannot download backup ${backup.id}: ${(e as Error).message}`,
        }),
    })
    return file
  })
