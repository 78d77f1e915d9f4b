/**
 * The health plugin's per-resource health, purely: each process type's dynos (a crashed one is a
 * health problem), the frontend digest the app serves, and the age of the latest verified backup
 * against `health.maxBackupAge` (older, or none at all, is a health problem).
 */
import * as Duration from "effect/Duration"
import type { HealthReport, RunContext } from "../../engine/index.ts"
import type { HealthLive } from "./diff.ts"
import type { LiveDyno, Reading, ResourcesLive } from "./resources.ts"
import type { HealthSpec } from "./spec.ts"

/** What the health plugin observes: the health URL and the resources. */
export type HealthObserved = HealthLive & { readonly resources?: ResourcesLive }

const countsOf = (dynos: ReadonlyArray<LiveDyno>) => {
  const c = { up: 0, starting: 0, crashed: 0, other: 0 }
  for (const d of dynos)
    if (d.state === "up") c.up++
    else if (d.state === "starting" || d.state === "restarting") c.starting++
    else if (d.state === "crashed") c.crashed++
    else c.other++
  return c
}

/** The process types the manifest declares, with their wanted quantity. */
const declared = (ctx: RunContext): Readonly<Record<string, number>> => {
  const formation = ctx.spec.formation
  if (typeof formation !== "object" || formation === null) return {}
  return Object.fromEntries(
    Object.entries(formation as Record<string, { readonly quantity?: unknown }>).map(([t, p]) => [
      t,
      typeof p?.quantity === "number" ? p.quantity : 0,
    ]),
  )
}

/** One report per process type: declared ones, and any other type that has dynos. */
export const dynoHealth = (reading: Reading<ReadonlyArray<LiveDyno>>, ctx: RunContext): HealthReport[] => {
  if (reading._tag === "Missing") return []
  const wanted = declared(ctx)
  if (reading._tag === "Failed")
    return Object.keys(wanted).map((t) => ({
      resource: `dynos/${t}`,
      state: "unknown",
      detail: `could not list dynos: ${reading.error}`,
    }))
  const types = [...new Set([...Object.keys(wanted), ...reading.value.map((d) => d.type)])].sort()
  return types.map((type): HealthReport => {
    const c = countsOf(reading.value.filter((d) => d.type === type))
    const want = wanted[type]
    const parts = (["crashed", "starting", "up", "other"] as const)
      .filter((k) => c[k] > 0)
      .map((k) => `${c[k]} ${k}`)
    const of = want === undefined ? "" : ` of ${want}`
    const detail = parts.length === 0 ? `no dynos running${of}` : `${parts.join(", ")}${of}`
    const state =
      c.crashed > 0 ? "unhealthy" : c.starting > 0 ? "progressing" : c.up > 0 ? "healthy" : "unknown"
    return { resource: `dynos/${type}`, state, detail, facts: { ...c, wanted: want ?? null } }
  })
}

/** The frontend digest the app serves, against the one the release wants (when checked). */
export const frontendHealth = (live: HealthLive): HealthReport[] => {
  const served = live.probe?.frontendDigest ?? null
  if (served === null && live.expectDigest === null) return []
  const facts = { served, expected: live.expectDigest }
  if (served === null)
    return [{ resource: "frontend", state: "unknown", detail: "the app reports no frontend digest", facts }]
  if (live.expectDigest !== null && served !== live.expectDigest)
    return [
      {
        resource: "frontend",
        state: "unhealthy",
        detail: `serves ${served}, the release wants ${live.expectDigest}`,
        facts,
      },
    ]
  return [{ resource: "frontend", state: "healthy", detail: `serves ${served}`, facts }]
}

/** `30h05m`, or `26h` on the hour. */
const hours = (ms: number) => {
  const m = Math.floor((ms % 3_600_000) / 60_000)
  return `${Math.floor(ms / 3_600_000)}h${m === 0 ? "" : `${String(m).padStart(2, "0")}m`}`
}

/** The latest verified backup's age against `maxBackupAge`; nothing when no limit is set. */
export const backupHealth = (
  spec: HealthSpec,
  resources: ResourcesLive | undefined,
  now: Date,
): HealthReport[] => {
  const limit = spec.maxBackupAge
  const reading = resources?.backup
  if (limit === undefined || reading === undefined) return []
  const limitText = hours(Duration.toMillis(limit))
  if (reading._tag === "Failed")
    return [
      { resource: "backup/latest", state: "unknown", detail: `could not list backups: ${reading.error}` },
    ]
  const latest = reading._tag === "Read" ? reading.value : null
  if (latest === null)
    return [
      {
        resource: "backup/latest",
        state: "unhealthy",
        detail: `no verified backup (limit ${limitText})`,
        facts: { backup: null, ageSeconds: null, maxAgeSeconds: Duration.toSeconds(limit) },
      },
    ]
  const age = Math.max(0, now.getTime() - Date.parse(latest.finishedAt))
  const old = age > Duration.toMillis(limit)
  return [
    {
      resource: "backup/latest",
      state: old ? "unhealthy" : "healthy",
      detail: `${latest.name} is ${hours(age)} old (limit ${limitText})`,
      facts: {
        backup: latest.name,
        finishedAt: latest.finishedAt,
        ageSeconds: Math.floor(age / 1000),
        maxAgeSeconds: Duration.toSeconds(limit),
      },
    },
  ]
}

/** Every resource the health plugin reports on. */
export const healthReports = (
  spec: HealthSpec,
  live: HealthObserved,
  ctx: RunContext,
  now: Date,
): ReadonlyArray<HealthReport> => [
  ...(live.resources === undefined ? [] : dynoHealth(live.resources.dynos, ctx)),
  ...frontendHealth(live),
  ...backupHealth(spec, live.resources, now),
]
