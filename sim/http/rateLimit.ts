/**
 * The account's token bucket (Heroku: 4500 tokens, refilled at 75 per minute). Every API call takes
 * one token; an empty bucket means 429 `rate_limit`.
 */
export interface RateLimitOptions {
  readonly capacity: number
  readonly refillPerMinute: number
}

export const defaultRateLimit: RateLimitOptions = { capacity: 4500, refillPerMinute: 75 }

export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = options.capacity
    this.last = now()
  }

  private refill(): void {
    const t = this.now()
    const added = ((t - this.last) / 60_000) * this.options.refillPerMinute
    this.tokens = Math.min(this.options.capacity, this.tokens + added)
    this.last = t
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** Whole tokens left, as sent in `RateLimit-Remaining`. */
  remaining(): number {
    this.refill()
    return Math.floor(this.tokens)
  }
}
