/**
 * The seam for running an app's processes like dynos. The simulator calls a `DynoRunner` after every
 * release and formation change; the default does nothing, `startProcessDynoRunner` (dynoRunner.ts)
 * runs every process type of the formation as real child processes.
 */
import type { LogBuffer } from "./dynoLogs.ts"

/** What `runtime-dyno-metadata` exposes to dynos; null or absent while that feature is off. */
export interface DynoMetadata {
  readonly appId: string
  readonly releaseCreatedAt: string
  readonly slugCommit: string | null
  readonly slugDescription: string
}

export interface DynoRelease {
  readonly appName: string
  readonly version: number
  /** Directory holding the unpacked slug, or null for a release without a slug. */
  readonly slugDir: string | null
  readonly processTypes: Readonly<Record<string, string>>
  readonly config: Readonly<Record<string, string>>
  readonly metadata?: DynoMetadata | null
  readonly formation: ReadonlyArray<{
    readonly type: string
    readonly quantity: number
    readonly size?: string
  }>
}

/** How a release phase (the Procfile's `release:` process) ended. */
export interface ReleasePhaseResult {
  readonly ok: boolean
  readonly output: string
}

/** One running (or crashed) dyno, as the dynos API shows it. */
export interface DynoInfo {
  readonly name: string
  readonly type: string
  readonly command: string
  readonly size: string
  readonly state: "starting" | "up" | "crashed"
  readonly version: number
  readonly startedAt: string
}

export interface DynoRunner {
  /** Called after every new (succeeded) release and formation change: (re)start processes to match. */
  readonly apply: (release: DynoRelease) => Promise<void>
  /** Called when an app is deleted. */
  readonly remove: (appName: string) => Promise<void>
  /** Stops everything the runner started. */
  readonly close: () => Promise<void>
  /** Runs a release's `release:` command to completion; absent: release phases are not run. */
  readonly releasePhase?: (release: DynoRelease, command: string) => Promise<ReleasePhaseResult>
  /** The app's stable URL (`http://127.0.0.1:<port>/`), or null to keep the herokuapp.com one. */
  readonly webUrl?: (appName: string) => string | null
  /** The app's dynos now. */
  readonly list?: (appName: string) => ReadonlyArray<DynoInfo>
  /** Restarts one dyno (`web.1`), every dyno of a type (`web`), or all of them (no target). */
  readonly restart?: (appName: string, target?: string) => Promise<void>
  /** The app's log: its processes' output, router lines and dyno state changes. */
  readonly logs?: (appName: string) => LogBuffer | null
}

export const noopDynoRunner: DynoRunner = {
  apply: async () => {},
  remove: async () => {},
  close: async () => {},
}
