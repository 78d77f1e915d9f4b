/**
 * `reconcile backup restore --dry-run`: what a restore would do, read without writing anything and
 * without the lock: the safety backup it would take first, the backup it would restore (time, size,
 * verified state) and the database it would replace, by name (never its URL or password).
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { RunContext } from "../../engine/index.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { findAttachment } from "./heroku.ts"
import { restorePreviewText } from "./render.ts"
import type { RestoreTarget } from "./restore.ts"

/** The database's name and server (host:port) from its URL; nothing else of it. */
const nameOf = (url: Redacted.Redacted<string>) => {
  try {
    const u = new URL(Redacted.value(url))
    return `${decodeURIComponent(u.pathname.slice(1)) || "(default)"} on ${u.hostname}:${u.port || "5432"}`
  } catch {
    return "(unparsable database URL)"
  }
}

/** The preview's text (reads only: the database URL and, on Heroku, the attachment). */
export const previewRestore = (ctx: RunContext, target: RestoreTarget) =>
  Effect.gen(function* () {
    const { db, provider, backup } = target
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    const app = appNameIn(ctx.spec)
    const attached =
      provider === "heroku" && app !== undefined
        ? yield* Effect.map(
            findAttachment(app, db),
            (a) => ` (add-on ${a.addon.name}, attached to ${app} as ${a.name})`,
          )
        : ""
    return restorePreviewText({
      env: ctx.env,
      target: `${nameOf(url)}${attached}`,
      provider,
      backup,
    })
  })
