/** Background work (provisioning timers, builds, promotions) tracked so close() can stop it. */
export class Tasks {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Set<Promise<void>>()
  private closed = false

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `fn` after `ms` milliseconds (unless closed by then). */
  later(ms: number, fn: () => void | Promise<void>): void {
    if (this.closed) return
    const t = setTimeout(() => {
      this.timers.delete(t)
      this.run(fn)
    }, ms)
    this.timers.add(t)
  }

  /** Runs `fn` now, in the background. */
  run(fn: () => void | Promise<void>): void {
    if (this.closed) return
    const p = Promise.resolve()
      .then(fn)
      .catch(this.onError)
      .finally(() => this.running.delete(p))
    this.running.add(p)
  }

  /** Cancels pending timers and waits for running work to finish. */
  async close(): Promise<void> {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    await Promise.allSettled([...this.running])
  }
}
