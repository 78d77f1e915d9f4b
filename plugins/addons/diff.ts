/**
 * The add-ons plugin's pure part. Live add-ons are matched to entries by attachment name (`as`);
 * an add-on's attachment names are read from the `<AS>_URL` vars it exposes (`config_vars`), so one
 * list request tells the whole story.
 */
import type { DiffProblem, PlannedChange } from "../../engine/index.ts"
import type { LiveAddon, LiveAttachment } from "../../services/heroku/addons.ts"
import { didYouMean } from "../../services/heroku/catalog.ts"
import { type AddonEntry, type AttachEntry, creationConfig, isProtected, serviceOf } from "./spec.ts"

export interface AddonsLive {
  /** The app name (from `spec.app`), kept here so the diff needs nothing else. */
  readonly app: string
  readonly appExists: boolean
  readonly addons: ReadonlyArray<LiveAddon>
  /**
   * The plans of each service whose declared plan is not the live one, read only then (`null`: the
   * service does not exist); and the service names, read only when one does not exist.
   */
  readonly catalog?: {
    readonly plans: Readonly<Record<string, ReadonlyArray<string> | null>>
    readonly services?: ReadonlyArray<string>
  }
  /** The live creation options of entries that declare `config` (by `as`), read only for those. */
  readonly configs?: Readonly<Record<string, Readonly<Record<string, string>>>>
  /**
   * This app's attachments of add-ons owned by other apps; read only when the manifest declares an
   * attach or the add-ons list shows another app's add-on.
   */
  readonly attachments?: ReadonlyArray<LiveAttachment>
  /** For each attach entry not attached yet (by `as`): what its owner app has (null: no such app). */
  readonly owners?: Readonly<
    Record<string, ReadonlyArray<{ readonly id: string; readonly name: string }> | null>
  >
}

/**
 * Apply converges one entry: it re-reads live state and does whatever is still needed. An owned
 * add-on (`entry`), an attachment to make (`attach`), or one to remove (`detach`).
 */
export type AddonChange =
  | { readonly app: string; readonly entry: AddonEntry }
  | { readonly app: string; readonly attach: AttachEntry["attach"] }
  | { readonly app: string; readonly detach: LiveAttachment }

export const findByAttachment = <A extends { readonly attachments: ReadonlyArray<string> }>(
  addons: ReadonlyArray<A>,
  as: string,
): A | undefined => addons.find((a) => a.attachments.includes(as))

/** Entries whose plan is not the live one (to create or change): only these need the plan catalog. */
export const plansToCheck = (
  desired: ReadonlyArray<AddonEntry>,
  addons: ReadonlyArray<LiveAddon>,
): ReadonlyArray<AddonEntry> =>
  desired.filter((e) => e.absent !== true && findByAttachment(addons, e.as)?.plan !== e.plan)

/** Pure: declared plans (or services) the platform does not offer, each with the closest names. */
export const planProblems = (
  desired: ReadonlyArray<AddonEntry>,
  live: AddonsLive,
): ReadonlyArray<DiffProblem> => {
  const catalog = live.catalog
  if (catalog === undefined) return []
  return plansToCheck(desired, live.addons).flatMap((entry) => {
    const service = serviceOf(entry.plan)
    const plans = Object.hasOwn(catalog.plans, service) ? catalog.plans[service] : undefined
    if (plans === undefined || plans?.includes(entry.plan) === true) return []
    const message =
      plans === null
        ? `unknown add-on service "${service}" (plan "${entry.plan}")${didYouMean(service, catalog.services ?? [])}`
        : `unknown add-on plan "${entry.plan}"${didYouMean(entry.plan, plans)}`
    return [{ key: entry.as, message }]
  })
}

/** `version=16, fork=x`, for notes. */
const showConfig = (config: Readonly<Record<string, string>>) =>
  Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")

/** The note a step that creates an add-on with options carries. */
const createdWith = (entry: AddonEntry): ReadonlyArray<string> => {
  const config = creationConfig(entry)
  return config === undefined ? [] : [`created with config: ${showConfig(config)}`]
}

/**
 * Pure: declared creation options that differ from the live add-on's. Heroku takes them only at
 * creation, so a change is reported (a warning), never silently ignored and never applied.
 */
export const configDrift = (
  desired: ReadonlyArray<AddonEntry>,
  live: AddonsLive,
): ReadonlyArray<DiffProblem> =>
  desired.flatMap((entry) => {
    const want = creationConfig(entry)
    const have = live.configs?.[entry.as]
    if (want === undefined || have === undefined || entry.absent === true) return []
    const differs = Object.entries(want).filter(([k, v]) => have[k] !== v)
    if (differs.length === 0) return []
    const shown = differs.map(([k, v]) => `${k} is ${have[k] ?? "(unset)"} live, ${v} in the manifest`)
    return [
      {
        key: entry.as,
        severity: "warning" as const,
        message:
          `config options apply only when an add-on is created: ${shown.join("; ")}; left as is ` +
          "(to change them, create a new add-on and move the data)",
      },
    ]
  })

/** Why an entry's live add-on would be deleted (absent, or a different service), or undefined. */
const deletionOf = (entry: AddonEntry, found: LiveAddon | undefined): string | undefined => {
  if (found === undefined) return undefined
  if (entry.absent === true) return "absent: true in the manifest"
  if (found.service !== serviceOf(entry.plan))
    return `the service differs (${found.service} → ${serviceOf(entry.plan)}); it cannot change in place`
  return undefined
}

/** Pure: protected add-ons the manifest would delete; each is a plan-time error. */
export const protectionViolations = (
  desired: ReadonlyArray<AddonEntry>,
  live: AddonsLive,
): ReadonlyArray<string> =>
  desired.flatMap((entry) => {
    const found = findByAttachment(live.addons, entry.as)
    const why = deletionOf(entry, found)
    if (found === undefined || why === undefined || !isProtected(entry, found.service)) return []
    return [
      `addons/${entry.as}: ${found.name} (${found.plan}) would be deleted (${why}), but it holds data and ` +
        "is protected; set protect: false on the entry to allow it",
    ]
  })

const stepFor = (app: string, entry: AddonEntry, found: LiveAddon | undefined) => {
  const base = { key: entry.as, change: { app, entry } }
  const why = deletionOf(entry, found)
  if (entry.absent === true) {
    if (found === undefined) return undefined
    return { ...base, action: "delete", before: found.plan, destructive: true, reason: why ?? "" } as const
  }
  if (found === undefined) {
    return {
      ...base,
      action: "create",
      after: entry.plan,
      reason: "declared in the manifest, not on the app",
      ...(entry.config === undefined ? {} : { notes: createdWith(entry) }),
    } as const
  }
  if (why !== undefined) {
    return {
      ...base,
      action: "replace",
      before: found.plan,
      after: entry.plan,
      destructive: true,
      reason: why,
      notes: [`${found.name} is deleted, with its data, and a new add-on provisioned`, ...createdWith(entry)],
    } as const
  }
  if (found.plan !== entry.plan) {
    return {
      ...base,
      action: "update",
      before: found.plan,
      after: entry.plan,
      reason: "the plan differs",
    } as const
  }
  if (found.state !== "provisioned") {
    return {
      ...base,
      action: "run",
      after: entry.plan,
      reason: `${found.name} is ${found.state}; wait for it`,
    } as const
  }
  return undefined
}

/** Pure: one step per entry whose add-on is missing, on another plan or service, or to delete. */
export const diffAddons = (
  desired: ReadonlyArray<AddonEntry>,
  live: AddonsLive,
): ReadonlyArray<PlannedChange<AddonChange>> =>
  desired.flatMap((entry) => {
    const step = stepFor(live.app, entry, findByAttachment(live.addons, entry.as))
    return step === undefined ? [] : [step]
  })

/** Add-ons on the app that the manifest does not mention: left alone, and said so. */
export const addonsWarnings = (desired: ReadonlyArray<AddonEntry>, live: AddonsLive): ReadonlyArray<string> =>
  live.addons
    .filter((a) => !desired.some((e) => a.attachments.includes(e.as)))
    .map(
      (a) =>
        `add-on ${a.name} (${a.plan}${a.attachments.length > 0 ? `, attached as ${a.attachments.join(", ")}` : ""}) ` +
        "is not in the manifest; left alone",
    )
