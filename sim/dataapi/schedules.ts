/**
 * Scheduled daily backups, as `heroku pg:backups:schedule` / `schedules` / `unschedule` use them:
 * `GET|POST /client/v11/databases/{db}/transfer-schedules` (a POST for a name that exists replaces
 * its hour and timezone) and `DELETE …/transfer-schedules/{uuid}`. `runDueSchedules` takes every
 * backup whose hour has come today in the schedule's timezone and that was not taken yet today;
 * the simulator calls it every minute, and tests call it with the time they want.
 */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { asObject } from "../resources/body.ts"
import type { AddonRecord, ScheduleRecord } from "../state/model.ts"
import { startBackup, type TransferRecord } from "./transfers.ts"

/** The day (`YYYY-MM-DD`) and hour at `at` in `timezone`. */
const localTime = (at: Date, timezone: string): { day: string; hour: number } => {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00"
  return { day: `${get("year")}-${get("month")}-${get("day")}`, hour: Number(get("hour")) }
}

const hourOf = (value: unknown): number => {
  const n = typeof value === "string" && /^\d{1,2}$/.test(value.trim()) ? Number(value) : value
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 23)
    throw invalidParams("hour must be a whole hour from 0 to 23.")
  return n
}

const timezoneOf = (value: unknown): string => {
  const tz = value === undefined || value === null || value === "" ? "UTC" : value
  if (typeof tz !== "string") throw invalidParams("timezone must be a string.")
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz })
  } catch {
    throw invalidParams(`Unknown timezone ${tz}.`)
  }
  return tz
}

const render = (s: ScheduleRecord) => ({
  uuid: s.uuid,
  name: s.name,
  hour: s.hour,
  days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  timezone: s.timezone,
  retain_weeks: 4,
  retain_months: 0,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
})

/** Takes each schedule's backup that is due at `at`; returns the transfers started. */
export const runDueSchedules = (ctx: SimContext, at: Date = new Date()): TransferRecord[] => {
  const started: TransferRecord[] = []
  for (const s of ctx.state.schedules) {
    const addon = ctx.state.addons.find((a) => a.id === s.addonId)
    const now = localTime(at, s.timezone)
    if (addon?.state !== "provisioned" || now.hour < s.hour || s.lastRunDay === now.day) continue
    s.lastRunDay = now.day
    started.push(startBackup(ctx, addon, s.name.replace(/_URL$/, ""), { scheduled: true }))
  }
  if (started.length > 0) ctx.store.save()
  return started
}

export const scheduleRoutes = (ctx: SimContext, database: (id: string) => AddonRecord): Route[] => [
  route("GET", "/client/v11/databases/:addon/transfer-schedules", null, (req) => {
    const addon = database(req.params.addon!)
    return list(ctx.state.schedules.filter((s) => s.addonId === addon.id).map(render), ["name"])
  }),
  route("POST", "/client/v11/databases/:addon/transfer-schedules", null, (req) => {
    const addon = database(req.params.addon!)
    const body = asObject(req.body)
    const hour = hourOf(body.hour)
    const timezone = timezoneOf(body.timezone)
    const named = body.schedule_name ?? body.name
    const name = typeof named === "string" && named !== "" ? named : "DATABASE_URL"
    const now = ctx.now()
    const today = localTime(new Date(now), timezone)
    // today's hour already passed: the first scheduled backup is tomorrow's, as on Heroku
    const lastRunDay = today.hour >= hour ? today.day : null
    const existing = ctx.state.schedules.find((s) => s.addonId === addon.id && s.name === name)
    if (existing !== undefined) {
      Object.assign(existing, { hour, timezone, lastRunDay, updatedAt: now })
      return created(render(existing))
    }
    const s: ScheduleRecord = {
      uuid: randomUUID(),
      addonId: addon.id,
      name,
      hour,
      timezone,
      lastRunDay,
      createdAt: now,
      updatedAt: now,
    }
    ctx.state.schedules.push(s)
    return created(render(s))
  }),
  route("DELETE", "/client/v11/databases/:addon/transfer-schedules/:uuid", null, (req) => {
    const addon = database(req.params.addon!)
    const s = ctx.state.schedules.find((x) => x.addonId === addon.id && x.uuid === req.params.uuid)
    if (s === undefined) throw notFound("transfer_schedule", "backup schedule")
    ctx.state.schedules = ctx.state.schedules.filter((x) => x !== s)
    return json(render(s))
  }),
]
