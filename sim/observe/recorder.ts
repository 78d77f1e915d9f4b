/** The request log and counters that tests and the admin route read. */
import type { FaultKind } from "../faults/config.ts"

export interface LogEntry {
  readonly requestId: string
  readonly method: string
  readonly path: string
  /** 0 when the connection was dropped without an answer. */
  readonly status: number
  readonly durationMs: number
  readonly fault: FaultKind | null
  readonly at: string
  /** The account's budget left after this request (as its RateLimit-Remaining said). */
  readonly rateLimitRemaining?: number
}

export interface Counters {
  readonly requests: number
  readonly mutatingRequests: number
  readonly releasesByApp: Readonly<Record<string, number>>
}

export class Recorder {
  private log: LogEntry[] = []
  private requests = 0
  private mutating = 0
  private releases: Record<string, number> = {}

  record(entry: LogEntry): void {
    this.log.push(entry)
    this.requests++
    if (entry.method !== "GET" && entry.method !== "HEAD") this.mutating++
  }

  releaseCreated(appName: string): void {
    this.releases[appName] = (this.releases[appName] ?? 0) + 1
  }

  entries(): readonly LogEntry[] {
    return [...this.log]
  }

  counters(): Counters {
    return { requests: this.requests, mutatingRequests: this.mutating, releasesByApp: { ...this.releases } }
  }

  reset(): void {
    this.log = []
    this.requests = 0
    this.mutating = 0
    this.releases = {}
  }
}
