/**
 * Decides which fault (if any) hits each request. Every request draws the same number of values
 * from the seeded PRNG whatever the configuration matches, so one seed and one request sequence
 * always give the same faults.
 */
import { type ErrorRule, type FaultConfig, type FaultKind, type FaultRule, ruleMatches } from "./config.ts"
import { mulberry32, type Prng } from "./prng.ts"

export interface FaultDecision {
  readonly delayMs: number
  /** The fault to inject before the handler (drop, 429, 5xx), if any. */
  readonly before: {
    readonly kind: Exclude<FaultKind, "commit_then_drop">
    readonly status: number
    /** A `Retry-After` to send with the answer, in seconds. */
    readonly retryAfterSeconds?: number
  } | null
  /** Whether to drop the connection after the handler ran. */
  readonly commitThenDrop: boolean
}

const hit = (rules: readonly FaultRule[] | undefined, draw: number, method: string, path: string) =>
  (rules ?? []).find((r) => ruleMatches(r, method, path) && draw < r.rate)

export class FaultInjector {
  private prng: Prng
  private burstLeft = 0

  constructor(
    private config: FaultConfig,
    seed: number,
  ) {
    this.prng = mulberry32(seed)
  }

  get current(): FaultConfig {
    return this.config
  }

  /** Replaces the configuration; with a seed, also restarts the random sequence. */
  set(config: FaultConfig, seed?: number): void {
    this.config = config
    this.burstLeft = 0
    if (seed !== undefined) this.prng = mulberry32(seed)
  }

  decide(method: string, path: string): FaultDecision {
    const [jitter, drop, burst, error, commit] = [
      this.prng(),
      this.prng(),
      this.prng(),
      this.prng(),
      this.prng(),
    ]
    const c = this.config
    const delayMs = (c.latencyMs ?? 0) + Math.floor(jitter * (c.jitterMs ?? 0))
    const commitThenDrop = hit(c.commitThenDrop, commit, method, path) !== undefined
    if (hit(c.drops, drop, method, path) !== undefined) {
      return { delayMs, before: { kind: "drop", status: 0 }, commitThenDrop: false }
    }
    const b = c.rateLimitBursts
    if (this.burstLeft === 0 && b !== undefined && burst < b.rate) this.burstLeft = b.length
    if (this.burstLeft > 0) {
      this.burstLeft--
      const retry = b?.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: b.retryAfterSeconds }
      return { delayMs, before: { kind: "rate_limit", status: 429, ...retry }, commitThenDrop: false }
    }
    const e: ErrorRule | undefined = hit(c.errors, error, method, path)
    if (e !== undefined)
      return {
        delayMs,
        before: {
          kind: "error",
          status: e.status ?? 503,
          ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
        },
        commitThenDrop,
      }
    return { delayMs, before: null, commitThenDrop }
  }
}
