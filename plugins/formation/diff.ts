/**
 * The formation plugin's pure part. All process types scale in one batch PATCH: each step (one per
 * process type, for display) carries the whole batch, and apply sends only what still differs, so
 * the first step of a run does the work and the others find nothing left. Because any step may
 * scale a process to 0, all steps of a batch that does are destructive.
 */
import type { PlannedChange } from "../../engine/index.ts"
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

/** Pure: one step per process type to scale or resize, all carrying the one batch. */
export const diffFormation = (
  desired: FormationSpec,
  live: FormationLive,
): ReadonlyArray<PlannedChange<FormationChange>> => {
  const updates = formationUpdates(desired, live)
  const change: FormationChange = { app: live.app, updates }
  const stops = (u: FormationUpdate) => u.quantity === 0 && (processOf(live, u.type)?.quantity ?? 0) > 0
  const destructive = updates.some(stops)
  // Said once, on the step listed first (the planner orders steps by address).
  const first = updates.length > 1 ? updates.map((u) => u.type).sort()[0] : undefined
  return updates.map((u) => {
    const have = processOf(live, u.type)
    const notes = [
      ...(have === undefined ? ["not in the app's current release yet: it must be deployed first"] : []),
      ...(u.type === first ? [`these ${updates.length} process types are scaled in one request`] : []),
      ...(destructive && !stops(u) ? ["destructive because it is applied together with a scale to 0"] : []),
    ]
    return {
      key: u.type,
      action: have === undefined ? "create" : "update",
      ...(have === undefined ? {} : { before: show(have) }),
      after: show(u),
      destructive,
      reason: stops(u)
        ? "scales a running process to 0"
        : have === undefined
          ? "declared in the manifest, no dynos yet"
          : "quantity or size differs",
      notes,
      change,
    }
  })
}
