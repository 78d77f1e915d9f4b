/**
 * `release.onFailure: rollback`: the release current when the run started is remembered (per-run
 * state, at the first observation), carried by the deploy or promote change, and, when that change
 * or the health verification after it fails, the executor runs the rollback to it as a compensation
 * (the engine's `Plugin.compensate`): code and config go back, then health verifies it.
 */
import * as Effect from "effect/Effect"
import { memo, type PlannedChange, type RunState, runKey } from "../../engine/index.ts"
import type { ReleaseChange } from "./apply.ts"
import type { RollbackChange } from "./rollback.ts"

/** The release current when the run started. */
export interface StartRelease {
  readonly id: string
  readonly version: number
  readonly slugId: string | null
}

const startKey = runKey<StartRelease | null>("release.startRelease")

/** The release current at the run's first observation of `app` (later observations keep it). */
export const startRelease = (
  app: string,
  now: StartRelease | null,
): Effect.Effect<StartRelease | null, never, RunState> => memo(startKey, app, Effect.succeed(now))

/** What a deploy or promote carries for its compensation. */
export interface OnFailure {
  readonly onFailure: "rollback" | "keep"
  readonly previous: StartRelease | null
}

/** The rollback that undoes a failed release of this run, when the manifest asks for it. */
export const compensateRelease = (
  change: ReleaseChange | RollbackChange,
): PlannedChange<RollbackChange> | undefined => {
  if (change.kind === "rollback" || change.onFailure !== "rollback") return undefined
  const previous = change.previous
  if (previous === null || previous.slugId === null) return undefined
  return {
    key: "rollback",
    action: "update",
    after: { release: `v${previous.version}'s slug and config` },
    reason: `release.onFailure: rollback: the release failed, so v${previous.version} (current when the run started) comes back`,
    change: {
      kind: "rollback",
      app: change.app,
      from: null,
      targetId: previous.id,
      targetVersion: previous.version,
      restoreCommand: null,
    },
  }
}
