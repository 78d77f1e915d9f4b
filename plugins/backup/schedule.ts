/**
 * `database.backup.schedule: { hour, timezone }`: Heroku's daily scheduled backups, reconciled like
 * any other state through the Data API's transfer-schedules routes (what `heroku pg:backups:schedule`
 * uses). Observed per attachment (the schedule's name is the attachment's config var, e.g.
 * DATABASE_URL); an undeclared schedule is left alone.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { done, PluginError, type RunContext } from "../../engine/index.ts"
import { appNameIn } from "../../services/heroku/app.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { findAttachment } from "./heroku.ts"
import type { DatabaseSpec } from "./spec.ts"

/** The live schedule of the backed-up database; null when there is none (or no database yet). */
export interface LiveSchedule {
  readonly hour: number
  readonly timezone: string
}

export interface ScheduleChange {
  readonly schedule: LiveSchedule
}

const Listed = Schema.Struct({ name: Schema.String, hour: Schema.Number, timezone: Schema.String })

const scheduleName = (attachment: string) => (attachment.endsWith("_URL") ? attachment : `${attachment}_URL`)

/** The schedule as declared, with its default time zone; undefined when none is declared. */
export const wantedSchedule = (db: DatabaseSpec): LiveSchedule | undefined => {
  const s = db.backup?.schedule
  return s === undefined ? undefined : { hour: s.hour, timezone: s.timezone ?? "UTC" }
}

/** Reads the schedule when one is declared for the heroku provider (a missing app or database: none). */
export const observeSchedule = (db: DatabaseSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const app = appNameIn(ctx.spec)
    if (wantedSchedule(db) === undefined || db.backup?.provider !== "heroku" || app === undefined) return null
    const found = yield* findAttachment(app, db)
    const data = yield* HerokuDataApi
    const all = yield* data.list(`/client/v11/databases/${found.addon.id}/transfer-schedules`, Listed, {
      field: "name",
    })
    const mine = all.find((s) => s.name === scheduleName(found.name))
    return mine === undefined ? null : ({ hour: mine.hour, timezone: mine.timezone } satisfies LiveSchedule)
  }).pipe(
    // the app or its database does not exist yet: the first apply creates the schedule after it
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed(null),
    ),
  )

const show = (s: LiveSchedule) => `daily at ${String(s.hour).padStart(2, "0")}:00 ${s.timezone}`

/** A create or update of the schedule when the live one differs from the declared one. Pure. */
export const diffSchedule = (db: DatabaseSpec, live: LiveSchedule | null) => {
  const want = wantedSchedule(db)
  if (want === undefined || db.backup?.provider !== "heroku") return []
  if (live !== null && live.hour === want.hour && live.timezone === want.timezone) return []
  return [
    {
      key: "schedule",
      action: live === null ? ("create" as const) : ("update" as const),
      ...(live === null ? {} : { before: show(live) }),
      after: show(want),
      reason:
        live === null ? "no scheduled backup on the database" : "the scheduled backup runs at another time",
      change: { schedule: want } satisfies ScheduleChange,
    },
  ]
}

/** A schedule needs Heroku's scheduler: with another provider it is an error in the plan. */
export const scheduleProblems = (db: DatabaseSpec) =>
  db.backup?.schedule !== undefined && db.backup.provider !== "heroku"
    ? [
        {
          key: "schedule",
          message: `backup.schedule needs provider heroku (its Data API runs the schedule); with ${db.backup.provider}, run backups from a scheduled workflow instead`,
        },
      ]
    : []

/** Creates or replaces the schedule (a POST for an existing name replaces its hour and time zone). */
export const applySchedule = (change: ScheduleChange, db: DatabaseSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const app = appNameIn(ctx.spec)
    if (app === undefined)
      return yield* Effect.fail(PluginError.invalid("backup.schedule needs spec.app.name"))
    const found = yield* findAttachment(app, db)
    const data = yield* HerokuDataApi
    yield* data
      .send(
        "POST",
        `/client/v11/databases/${found.addon.id}/transfer-schedules`,
        {
          hour: change.schedule.hour,
          timezone: change.schedule.timezone,
          schedule_name: scheduleName(found.name),
        },
        Listed,
      )
      .pipe(
        // a database still provisioning answers 404: worth retrying, not a terminal failure
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          (e) => Effect.fail(new PluginError({ reason: "Unavailable", detail: e.detail })),
        ),
      )
    return done(`backups scheduled ${show(change.schedule)}`)
  })
