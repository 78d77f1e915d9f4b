/**
 * The seam for running an app's processes like dynos. The simulator calls a `DynoRunner` after every
 * release and formation change; the default does nothing, `startProcessDynoRunner` (dynoRunner.ts)
 * runs the Procfile's processes as real child processes.
 */
export interface DynoRelease {
  readonly appName: string
  readonly version: number
  /** Directory holding the unpacked slug, or null for a release without a slug. */
  readonly slugDir: string | null
  readonly processTypes: Readonly<Record<string, string>>
  readonly config: Readonly<Record<string, string>>
  readonly formation: ReadonlyArray<{ readonly type: string; readonly quantity: number }>
}

/** How a release phase (the Procfile's `release:` process) ended. */
export interface ReleasePhaseResult {
  readonly ok: boolean
  readonly output: string
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
}

export const noopDynoRunner: DynoRunner = {
  apply: async () => {},
  remove: async () => {},
  close: async () => {},
}
