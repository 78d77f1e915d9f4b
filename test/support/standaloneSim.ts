/**
 * A standalone simulator as `reconcile sim` runs it (real builds and dynos, state on disk), for the
 * end-to-end files that drive a whole environment (environment.test.ts, staging.test.ts): start it,
 * read its URL, stop it (and start it again on the same state), and read its Platform API.
 */
import { runSimulatorCli, type SimulatorCliOptions } from "../../sim/cli.ts"
import { postgresAdminUrl } from "./postgres.ts"

export interface StandaloneSim {
  /** The simulator's URL, once it listens. */
  readonly url: string
  /** Stops it and waits until it has stopped. */
  readonly stop: () => Promise<void>
}

/** Starts the simulator on the test run's Postgres; resolves once it listens. */
export const startStandaloneSim = (
  options: Omit<SimulatorCliOptions, "signal" | "log" | "postgresAdminUrl">,
): Promise<StandaloneSim> => {
  const abort = new AbortController()
  return new Promise((ok) => {
    const running = runSimulatorCli({
      ...options,
      postgresAdminUrl: postgresAdminUrl(),
      signal: abort.signal,
      log: (line) => {
        const m = /listening on (\S+)/.exec(line)
        if (m !== null)
          ok({
            url: m[1] as string,
            stop: async () => {
              abort.abort()
              await running
            },
          })
      },
    })
  })
}

/** GET on the simulator's Platform API with `token`; the parsed JSON and the status. */
export const platformGet = async (
  url: string,
  token: string,
  path: string,
): Promise<{ readonly status: number; readonly body: unknown }> => {
  const res = await fetch(`${url}${path}`, {
    headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: `Bearer ${token}` },
  })
  return { status: res.status, body: await res.json() }
}
