/**
 * Fixed reference data: regions, stacks, dyno sizes and add-on services. Their ids are stable UUIDs
 * derived from the name, so they are the same on every run.
 */
import { createHash } from "node:crypto"

/** A deterministic UUID-shaped id for a catalog name. */
export const stableId = (kind: string, name: string): string => {
  const h = createHash("sha1").update(`${kind}:${name}`).digest("hex")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export const ref = (kind: string, name: string): { id: string; name: string } => ({
  id: stableId(kind, name),
  name,
})

export const regions = ["us", "eu"] as const
export const stacks = ["heroku-22", "heroku-24"] as const
export const defaultStack = "heroku-24"

const tiers = ["S", "M", "L", "L-RAM", "XL", "2XL"]
export const dynoSizes: readonly string[] = [
  "Eco",
  "Basic",
  "Standard-1X",
  "Standard-2X",
  "Performance-M",
  "Performance-L",
  "Performance-L-RAM",
  "Performance-XL",
  "Performance-2XL",
  ...tiers.map((t) => `Private-${t}`),
  ...tiers.map((t) => `Shield-${t}`),
]

/** The canonical size name for a name given in any case, or undefined. */
export const findDynoSize = (name: string): string | undefined =>
  dynoSizes.find((s) => s.toLowerCase() === name.toLowerCase())

/** What `/dyno-sizes` says about a size: vCPUs, RAM in GB, monthly price in cents. */
export const dynoSizeFacts = (name: string): { compute: number; memory: number; cents: number } => {
  const fixed: Record<string, { compute: number; memory: number; cents: number }> = {
    Eco: { compute: 1, memory: 0.5, cents: 0 },
    Basic: { compute: 1, memory: 0.5, cents: 700 },
    "Standard-1X": { compute: 1, memory: 0.5, cents: 2500 },
    "Standard-2X": { compute: 1, memory: 1, cents: 5000 },
    "Performance-M": { compute: 2, memory: 2.5, cents: 25000 },
    "Performance-L": { compute: 8, memory: 14, cents: 50000 },
    "Performance-L-RAM": { compute: 4, memory: 30, cents: 50000 },
    "Performance-XL": { compute: 8, memory: 62, cents: 75000 },
    "Performance-2XL": { compute: 16, memory: 126, cents: 150000 },
  }
  const tier = name.replace(/^(Private|Shield)-/, "Performance-")
  return fixed[name] ?? fixed[tier === "Performance-S" ? "Standard-2X" : tier] ?? fixed.Basic!
}

export interface AddonService {
  readonly name: string
  readonly humanName: string
  readonly plans: readonly string[]
  /** Default attachment name on an app (Postgres: DATABASE for the first one). */
  readonly attachAs: string
  readonly cents: number
}

export const addonServices: readonly AddonService[] = [
  {
    name: "heroku-postgresql",
    plans: [
      "essential-0",
      "essential-1",
      "essential-2",
      "standard-0",
      "standard-2",
      "premium-0",
      "mini",
      "basic",
    ],
    humanName: "Heroku Postgres",
    attachAs: "DATABASE",
    cents: 500,
  },
  {
    name: "heroku-redis",
    humanName: "Heroku Key-Value Store",
    plans: ["mini", "premium-0", "premium-1"],
    attachAs: "REDIS",
    cents: 300,
  },
  {
    name: "papertrail",
    humanName: "Papertrail",
    plans: ["choklad", "fixa"],
    attachAs: "PAPERTRAIL",
    cents: 0,
  },
  { name: "scheduler", humanName: "Heroku Scheduler", plans: ["standard"], attachAs: "SCHEDULER", cents: 0 },
]

export const postgresService = "heroku-postgresql"

/** Resolves `service[:plan]` (or a plan's id), or undefined when the service or plan is unknown. */
export const findPlan = (spec: string): { service: AddonService; plan: string } | undefined => {
  for (const service of addonServices) {
    const plan = service.plans.find((p) => stableId("plan", `${service.name}:${p}`) === spec)
    if (plan !== undefined) return { service, plan }
  }
  const [serviceName, planName] = spec.split(":")
  const service = addonServices.find((s) => s.name === serviceName)
  if (service === undefined) return undefined
  const plan = planName ?? service.plans[0]
  return plan !== undefined && service.plans.includes(plan) ? { service, plan } : undefined
}
