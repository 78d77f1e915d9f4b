/**
 * The app plugin's pure part: what it observes (`AppLive`), the changes it can make (`AppChange`),
 * and `diffApp`. A missing app becomes one create step that also sets buildpacks and maintenance, so
 * no step of the wave depends on another running first.
 */
import type { DiffProblem, PlannedChange } from "../../engine/index.ts"
import type { AppSpec } from "./spec.ts"

export interface Buildpack {
  readonly url: string
  readonly name: string | null
}

/** The live app; `buildpacks` is undefined when the manifest does not manage them (not read). */
export type AppLive =
  | { readonly exists: false }
  | {
      readonly exists: true
      readonly region: string
      readonly stack: string
      readonly buildStack: string
      readonly maintenance: boolean
      readonly buildpacks: ReadonlyArray<Buildpack> | undefined
      readonly acm: boolean
      /** Every feature the app has, by name; undefined when the manifest declares none (not read). */
      readonly features: Readonly<Record<string, boolean>> | undefined
    }

export type AppChange =
  | { readonly kind: "create"; readonly spec: AppSpec }
  | { readonly kind: "buildpacks"; readonly app: string; readonly buildpacks: ReadonlyArray<string> }
  | { readonly kind: "maintenance"; readonly app: string; readonly on: boolean }
  | { readonly kind: "stack"; readonly app: string; readonly stack: string }
  | { readonly kind: "acm"; readonly app: string; readonly on: boolean }
  | { readonly kind: "feature"; readonly app: string; readonly name: string; readonly enabled: boolean }

/** A declared buildpack matches an installed one by registry name or URL. */
export const sameBuildpacks = (want: ReadonlyArray<string>, have: ReadonlyArray<Buildpack>): boolean =>
  want.length === have.length && want.every((w, i) => w === have[i]?.url || w === have[i]?.name)

const showBuildpacks = (bps: ReadonlyArray<string>): string => (bps.length === 0 ? "(none)" : bps.join(", "))

const showFeatures = (features: Readonly<Record<string, boolean>>): string =>
  Object.entries(features)
    .map(([name, on]) => `${name} ${on ? "on" : "off"}`)
    .join(", ") || "(none)"

const createStep = (desired: AppSpec): PlannedChange<AppChange> => ({
  key: desired.name,
  action: "create",
  after: {
    name: desired.name,
    ...(desired.region === undefined ? {} : { region: desired.region }),
    ...(desired.stack === undefined ? {} : { stack: desired.stack }),
    ...(desired.buildpacks === undefined ? {} : { buildpacks: showBuildpacks(desired.buildpacks) }),
    ...(desired.maintenance === undefined ? {} : { maintenance: desired.maintenance }),
    ...(desired.acm === undefined ? {} : { acm: desired.acm }),
    ...(desired.features === undefined ? {} : { features: showFeatures(desired.features) }),
  },
  reason: "the app does not exist",
  change: { kind: "create", spec: desired },
})

/** Pure: the steps that bring the live app to the manifest. Never deletes an app. */
export const diffApp = (desired: AppSpec, live: AppLive): ReadonlyArray<PlannedChange<AppChange>> => {
  if (!live.exists) return [createStep(desired)]
  const app = desired.name
  const steps: Array<PlannedChange<AppChange>> = []
  if (desired.stack !== undefined && desired.stack !== live.buildStack) {
    steps.push({
      key: "stack",
      action: "update",
      before: live.buildStack,
      after: desired.stack,
      reason: "the build stack differs from the manifest",
      notes: ["takes effect on the next build"],
      change: { kind: "stack", app, stack: desired.stack },
    })
  }
  if (desired.buildpacks !== undefined && !sameBuildpacks(desired.buildpacks, live.buildpacks ?? [])) {
    steps.push({
      key: "buildpacks",
      action: "update",
      before: showBuildpacks((live.buildpacks ?? []).map((b) => b.name ?? b.url)),
      after: showBuildpacks(desired.buildpacks),
      reason: "the buildpacks differ from the manifest",
      change: { kind: "buildpacks", app, buildpacks: desired.buildpacks },
    })
  }
  if (desired.maintenance !== undefined && desired.maintenance !== live.maintenance) {
    steps.push({
      key: "maintenance",
      action: "update",
      before: live.maintenance,
      after: desired.maintenance,
      reason: desired.maintenance ? "the manifest turns maintenance mode on" : "the manifest turns it off",
      change: { kind: "maintenance", app, on: desired.maintenance },
    })
  }
  if (desired.acm !== undefined && desired.acm !== live.acm) {
    steps.push({
      key: "acm",
      action: "update",
      before: live.acm,
      after: desired.acm,
      reason: desired.acm
        ? "the manifest turns Automated Certificate Management on"
        : "the manifest turns Automated Certificate Management off",
      change: { kind: "acm", app, on: desired.acm },
    })
  }
  for (const [name, enabled] of Object.entries(desired.features ?? {})) {
    const have = live.features?.[name]
    if (have === undefined || have === enabled) continue
    steps.push({
      key: `features/${name}`,
      action: "update",
      before: have,
      after: enabled,
      reason: `the manifest turns the ${name} feature ${enabled ? "on" : "off"}`,
      change: { kind: "feature", app, name, enabled },
    })
  }
  return steps
}

/** Declared features the app does not offer: a plan problem, before anything is written. */
export const appDiffProblems = (desired: AppSpec, live: AppLive): ReadonlyArray<DiffProblem> => {
  if (!live.exists || live.features === undefined) return []
  const known = Object.keys(live.features)
  return Object.keys(desired.features ?? {})
    .filter((name) => !Object.hasOwn(live.features ?? {}, name))
    .map((name) => ({
      key: `features/${name}`,
      message: `unknown app feature ${name} (this app offers: ${known.join(", ")})`,
    }))
}

/** What cannot be converged in place and so is only reported. */
export const appWarnings = (desired: AppSpec, live: AppLive): ReadonlyArray<string> =>
  live.exists && desired.region !== undefined && desired.region !== live.region
    ? [
        `app ${desired.name} is in region ${live.region}, the manifest says ${desired.region}: ` +
          "a region cannot be changed in place (create a new app to move it)",
      ]
    : []
