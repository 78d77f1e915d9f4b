/**
 * The formation plugin's pure part. All process types scale in one batch PATCH: one group step,
 * `formation/processes`, with a member per process type; apply sends only what still differs. A
 * batch that scales a running process to 0 is destructive as a whole.
 */
import type { DiffProblem, PlannedChange, PlannedMember } from "../../engine/index.ts"
import { didYouMean } from "../../services/heroku/catalog.ts"
import type { FormationSpec } from "./spec.ts"

export interface Process {
  readonly quantity: number
  readonly size: string
}

export interface FormationLive {
  /** The app name (from `spec.app`), kept here so the diff needs nothing else. */
  readonly app: string
  readonly appExists: boolean
  /** Process types of the app's current release. */
  readonly processes: Readonly<Record<string, Process>>
  /**
   * The platform's dyno sizes, read only when a declared size is not the live one (else absent):
   * a size not among them is a plan problem, not a 422 at apply.
   */
  readonly sizes?: ReadonlyArray<string>
}

export interface FormationUpdate {
  readonly type: string
  readonly quantity: number
  readonly size?: string
}

export interface FormationChange {
  readonly app: string
  readonly updates: ReadonlyArray<FormationUpdate>
}

/** Dyno size names compare without regard to case (app.json writes `standard-1x`). */
export const sameSize = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** Whether a live process already matches an update. */
export const satisfies = (have: Process | undefined, want: FormationUpdate): boolean =>
  have !== undefined &&
  have.quantity === want.quantity &&
  (want.size === undefined || sameSize(have.size, want.size))

const processOf = (live: FormationLive, type: string): Process | undefined =>
  Object.hasOwn(live.processes, type) ? live.processes[type] : undefined

/** Declared sizes that differ from the live ones: only these need checking against the catalog. */
export const sizesToCheck = (
  desired: FormationSpec,
  processes: Readonly<Record<string, Process>>,
): ReadonlyArray<readonly [string, string]> =>
  Object.entries(desired).flatMap(([type, want]) => {
    const have = Object.hasOwn(processes, type) ? processes[type] : undefined
    return want.size === undefined || (have !== undefined && sameSize(have.size, want.size))
      ? []
      : [[type, want.size] as const]
  })

/** Sizes Heroku retired, and what replaced them. */
const retired: Readonly<Record<string, string>> = { hobby: "Basic", free: "Eco" }

/** Pure: declared sizes the platform does not offer, each with the closest names it does. */
export const sizeProblems = (desired: FormationSpec, live: FormationLive): ReadonlyArray<DiffProblem> => {
  const known = live.sizes
  if (known === undefined) return []
  return sizesToCheck(desired, live.processes)
    .filter(([, size]) => !known.some((k) => sameSize(k, size)))
    .map(([type, size]) => {
      const replaced = retired[size.toLowerCase()]
      const why = replaced === undefined ? "" : ` (${size} dynos were retired; ${replaced} replaced them)`
      return {
        key: type,
        message: `unknown dyno size "${size}"${why}${didYouMean(size, known, replaced === undefined ? [] : [replaced])}`,
      }
    })
}

/** Pure: the updates the manifest calls for. A missing type that should run 0 dynos needs none. */
export const formationUpdates = (
  desired: FormationSpec,
  live: FormationLive,
): ReadonlyArray<FormationUpdate> =>
  Object.entries(desired).flatMap(([type, want]) => {
    const update: FormationUpdate = {
      type,
      quantity: want.quantity,
      ...(want.size === undefined ? {} : { size: want.size }),
    }
    const have = processOf(live, type)
    if (satisfies(have, update) || (have === undefined && want.quantity === 0)) return []
    return [update]
  })

const show = (p: { readonly quantity: number; readonly size?: string | undefined }) => ({
  quantity: p.quantity,
  ...(p.size === undefined ? {} : { size: p.size }),
})

/** Pure: one group step for the batch, a member per process type to scale or resize. */
export const diffFormation = (
  desired: FormationSpec,
  live: FormationLive,
): ReadonlyArray<PlannedChange<FormationChange>> => {
  const updates = formationUpdates(desired, live)
  if (updates.length === 0) return []
  const stops = (u: FormationUpdate) => u.quantity === 0 && (processOf(live, u.type)?.quantity ?? 0) > 0
  const unreleased = updates.filter((u) => processOf(live, u.type) === undefined).map((u) => u.type)
  const members = [...updates]
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
    .map((u): PlannedMember => {
      const have = processOf(live, u.type)
      return {
        key: u.type,
        action: have === undefined ? "create" : "update",
        ...(have === undefined ? {} : { before: show(have) }),
        after: show(u),
        destructive: stops(u),
        reason: stops(u)
          ? "scales a running process to 0"
          : have === undefined
            ? "declared in the manifest, no dynos yet"
            : "quantity or size differs",
      }
    })
  return [
    {
      key: "processes",
      action: members.every((m) => m.action === "create") ? "create" : "update",
      destructive: updates.some(stops),
      reason: `${members.length} process type(s), scaled together in one request`,
      notes:
        unreleased.length === 0
          ? []
          : [`not in the app's current release yet (${unreleased.join(", ")}): they must be deployed first`],
      members,
      change: { app: live.app, updates },
    },
  ]
}
