/**
 * `provider: heroku`: capture a backup through the Data API as `heroku pg:backups:capture` does
 * (reference §11): find the add-on behind the attachment, POST a backup, poll the transfer until it
 * finishes, and accept it only when it succeeded with processed_bytes > 0.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type ApplyResult, done, PluginError, pending, type RunContext } from "../../engine/index.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { DatabaseSpec } from "./spec.ts"

export const Transfer = Schema.Struct({
  uuid: Schema.String,
  num: Schema.Number,
  finished_at: Schema.NullOr(Schema.String),
  succeeded: Schema.Boolean,
  processed_bytes: Schema.Number,
})
type Transfer = typeof Transfer.Type

const Listed = Schema.Struct({
  ...Transfer.fields,
  to_type: Schema.String,
  name: Schema.optional(Schema.String),
  from_name: Schema.optional(Schema.NullOr(Schema.String)),
})

/**
 * The newest capture of this database numbered above `after` (the newest transfer seen before this
 * step's first attempt) that did not fail: the one a lost answer hid. Never a capture an earlier
 * run or the daily schedule (`a…`) made, however recent: that one is of another moment. Pure.
 */
export const adoptable = (
  transfers: ReadonlyArray<typeof Listed.Type>,
  names: ReadonlyArray<string>,
  after: number,
) =>
  transfers
    .filter(
      (x) =>
        x.to_type === "gof3r" &&
        x.num > after &&
        !(x.name ?? "").startsWith("a") &&
        names.includes(x.from_name ?? "") &&
        (x.finished_at === null || x.succeeded),
    )
    .sort((a, b) => b.num - a.num)[0]

const Attachment = Schema.Struct({
  name: Schema.String,
  addon: Schema.Struct({ id: Schema.String, name: Schema.String }),
})

/** The attachment whose add-on is captured: `backup.addon`, else the url's config var without `_URL`. */
export const attachmentOf = (db: DatabaseSpec): string => {
  if (db.backup?.addon !== undefined) return db.backup.addon
  const url = db.url
  return "fromConfigVar" in url ? url.fromConfigVar.replace(/_URL$/, "") : "DATABASE"
}

/** `b` + zero-padded number, as the CLI names backups. */
export const backupName = (num: number) => `b${String(num).padStart(3, "0")}`

/** The attachment (and its add-on) whose database is backed up. */
export const findAttachment = (app: string, db: DatabaseSpec) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const attachment = attachmentOf(db)
    const attachments = yield* api.list(`/apps/${encodeURIComponent(app)}/addon-attachments`, Attachment)
    const found = attachments.find((a) => a.name === attachment || a.addon.name === attachment)
    if (found === undefined) {
      return yield* Effect.fail(
        new PluginError({
          reason: "NotFound",
          detail: `app ${app} has no database attachment ${attachment}`,
        }),
      )
    }
    return found
  })

const finished = (
  t: Transfer,
  app: string,
  attachment: string,
): Effect.Effect<ApplyResult<HerokuApi | HerokuDataApi>, PluginError> => {
  const name = backupName(t.num)
  if (!t.succeeded)
    return Effect.fail(
      PluginError.invalid(`backup ${name} failed; migrations and reference data were not run`),
    )
  if (t.processed_bytes <= 0)
    return Effect.fail(PluginError.invalid(`backup ${name} finished with 0 bytes; it cannot be trusted`))
  return Effect.succeed(
    done(`backup ${name} captured (${t.processed_bytes} bytes)`, {
      backup: name,
      restore: `heroku pg:backups:restore ${name} ${attachment}_URL --app ${app} --confirm ${app}`,
    }),
  )
}

const poll = (
  app: string,
  attachment: string,
  uuid: string,
): Effect.Effect<ApplyResult<HerokuApi | HerokuDataApi>, PluginError, HerokuApi | HerokuDataApi> =>
  Effect.flatMap(HerokuDataApi, (data) =>
    data.get(`/client/v11/apps/${encodeURIComponent(app)}/transfers/${uuid}`, Transfer),
  ).pipe(
    Effect.flatMap((t) =>
      t.finished_at === null
        ? Effect.succeed(pending(`backup ${backupName(t.num)} running`, poll(app, attachment, uuid)))
        : finished(t, app, attachment),
    ),
  )

/** A capture's state as a step result: Pending while it runs, else its verdict. */
const following = (t: Transfer, app: string, attachment: string) =>
  t.finished_at === null
    ? Effect.succeed(pending(`backup ${backupName(t.num)} started`, poll(app, attachment, t.uuid)))
    : finished(t, app, attachment)

const appOf = (ctx: RunContext) => {
  const app = appNameIn(ctx.spec)
  return app === undefined
    ? Effect.fail(PluginError.invalid("backup.provider heroku needs spec.app.name"))
    : Effect.succeed(app)
}

const listTransfers = (app: string) =>
  Effect.flatMap(HerokuDataApi, (data) =>
    data.list(`/client/v11/apps/${encodeURIComponent(app)}/transfers`, Listed, { field: "num" }),
  )

/**
 * Starts a capture and returns Pending until the transfer finishes. `seen` is given the newest
 * transfer number before the capture: the first attempt's view, above which `herokuLanded` looks
 * for the capture of a request whose answer was lost.
 */
export const herokuBackup = (
  db: DatabaseSpec,
  ctx: RunContext,
  seen: (newest: number) => Effect.Effect<void> = () => Effect.void,
) =>
  Effect.gen(function* () {
    const app = yield* appOf(ctx)
    const data = yield* HerokuDataApi
    const found = yield* findAttachment(app, db)
    const transfers = yield* listTransfers(app)
    yield* seen(transfers.reduce((n, t) => Math.max(n, t.num), 0))
    const t = yield* data.send("POST", `/client/v11/databases/${found.addon.id}/backups`, {}, Transfer)
    return yield* following(t, app, found.name)
  })

/**
 * Whether a capture request whose answer was lost landed: the capture numbered above `after` (the
 * first attempt's view) that `adoptable` picks, followed like a fresh one (running or finished).
 */
export const herokuLanded = (db: DatabaseSpec, ctx: RunContext, after: number) =>
  Effect.gen(function* () {
    const app = yield* appOf(ctx)
    const found = yield* findAttachment(app, db)
    const mine = adoptable(yield* listTransfers(app), [found.name, found.addon.name], after)
    return mine === undefined ? Option.none() : Option.some(yield* following(mine, app, found.name))
  })
