/**
 * The seam for running an app's processes like dynos. Running the Procfile's web process as a
 * child process is future work; for now the simulator calls a runner that does nothing.
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

export interface DynoRunner {
  /** Called after every new release and formation change: (re)start processes to match. */
  readonly apply: (release: DynoRelease) => Promise<void>
  /** Called when an app is deleted. */
  readonly remove: (appName: string) => Promise<void>
  /** Stops everything the runner started. */
  readonly close: () => Promise<void>
}

export const noopDynoRunner: DynoRunner = {
  apply: async () => {},
  remove: async () => {},
  close: async () => {},
}
