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
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { PluginError, type RunContext, SecretEnv } from "../../engine/index.ts"
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

/**
 * `--scratch-server`: a URL, or the name of an environment variable holding one (keeps the password
 * off the command line). Neither the value nor the variable's content is ever printed.
 */
export const scratchServer = (value: Option.Option<string>) =>
  Effect.flatMap(SecretEnv, (env) => {
    if (Option.isNone(value)) return Effect.succeed(undefined)
    const raw = value.value
    const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)
    const url = named ? (env.get(raw) ?? "") : raw
    if (named && url === "")
      return Effect.fail(
        PluginError.invalid(
          `--scratch-server ${raw}: no environment variable ${raw} is set (give a postgres:// URL, or the name of a variable holding one)`,
        ),
      )
    const parsed = URL.canParse(url) ? new URL(url) : undefined
    if (parsed === undefined || !/^postgres(ql)?:$/.test(parsed.protocol))
      return Effect.fail(
        PluginError.invalid(
          `--scratch-server${named ? ` ${raw}` : ""}: not a postgres:// URL (give a server URL, or the name of a variable holding one)`,
        ),
      )
    return Effect.succeed(Redacted.make(url))
  })
