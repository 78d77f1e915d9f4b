/**
 * The octokit client and the one way the reporter calls GitHub: `callGitHub` runs an async operation
 * with a fresh client, bounds it in time (per request and overall), and turns any failure into a
 * `GitHubFailure` whose message is safe to print. Rate limits and secondary limits are retried a
 * bounded number of times (octokit's throttling plugin); 5xx and network errors by its retry plugin.
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { Octokit } from "octokit"

/** Limits on how long and how often the reporter talks to GitHub. */
export interface ClientOptions {
  /** Longest one HTTP request may take. */
  readonly requestTimeoutMs: number
  /** Longest one report (all of its requests, retries and waits) may take. */
  readonly deadlineMs: number
  /** Retries of a 5xx or network failure; waits (n+1)² × `retryBaseMs`. */
  readonly retries: number
  readonly retryBaseMs: number
  /** Retries after a rate limit or secondary limit, each waiting what GitHub asks, up to `maxRateLimitWaitS`. */
  readonly rateLimitRetries: number
  readonly maxRateLimitWaitS: number
  /** Milliseconds per second of GitHub's `retry-after` (1000; tests shrink it). */
  readonly rateLimitBaseMs: number
  /** Space writes out as GitHub recommends (1 s, 3 s for notifying ones); tests turn it off. */
  readonly spaceWrites: boolean
}

export const defaultClientOptions: ClientOptions = {
  requestTimeoutMs: 10_000,
  deadlineMs: 60_000,
  retries: 2,
  retryBaseMs: 1_000,
  rateLimitRetries: 2,
  maxRateLimitWaitS: 30,
  rateLimitBaseMs: 1_000,
  spaceWrites: true,
}

/** A GitHub call that did not succeed; `message` never contains the token. */
export class GitHubFailure extends Data.TaggedError("GitHubFailure")<{ readonly message: string }> {}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

type ThrottleOptions = NonNullable<ConstructorParameters<typeof Octokit>[0]>["throttle"]
type Group = NonNullable<NonNullable<ThrottleOptions>["write"]>
/** A Bottleneck group that runs every job at once, for tests that must not wait between writes. */
const unspaced = {
  key: () => ({ schedule: (_options: unknown, job: () => Promise<unknown>) => job() }),
} as unknown as Group

/** An octokit client whose every request is bounded by `requestTimeoutMs` and aborted with `signal`. */
export const makeOctokit = (
  connection: { readonly apiUrl: string; readonly token: string },
  options: ClientOptions,
  signal: AbortSignal,
): Octokit => {
  const timedFetch: typeof fetch = (input, init) =>
    fetch(input, {
      ...init,
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.requestTimeoutMs)]),
    })
  const deadlineAt = Date.now() + options.deadlineMs
  // Wait out a limit only when the wait ends before the deadline: a wait still pending when the
  // report gives up would keep the process alive for nothing.
  const onLimit = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    !signal.aborted &&
    retryCount < options.rateLimitRetries &&
    retryAfter <= options.maxRateLimitWaitS &&
    Date.now() + retryAfter * options.rateLimitBaseMs < deadlineAt
  return new Octokit({
    auth: connection.token,
    baseUrl: connection.apiUrl,
    userAgent: "reconcile",
    log: silent,
    request: { fetch: timedFetch, signal },
    retry: { retries: options.retries, retryAfterBaseValue: options.retryBaseMs },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      retryAfterBaseValue: options.rateLimitBaseMs,
      ...(options.spaceWrites ? {} : { write: unspaced, notifications: unspaced }),
    },
  })
}

/** Words for a failed call: the HTTP status and GitHub's message, or the network error. */
export const describeFailure = (error: unknown, token: string): string => {
  const answered =
    typeof error === "object" && error !== null && "response" in error && error.response != null
  const status = answered && "status" in error ? error.status : undefined
  const raw = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : ""
  const text =
    name === "AbortError" || name === "TimeoutError"
      ? "no answer in time"
      : typeof status === "number"
        ? `GitHub answered ${status}: ${raw}`
        : raw
  return text.split(token).join("***").slice(0, 300)
}

/** Runs `operation` with a fresh client, within `deadlineMs`; failures become `GitHubFailure`. */
export const callGitHub = <A>(
  connection: { readonly apiUrl: string; readonly token: string },
  options: ClientOptions,
  operation: (octokit: Octokit) => Promise<A>,
): Effect.Effect<A, GitHubFailure> =>
  Effect.tryPromise({
    try: (signal) => operation(makeOctokit(connection, options, signal)),
    catch: (error) => new GitHubFailure({ message: describeFailure(error, connection.token) }),
  }).pipe(
    Effect.timeoutFail({
      duration: Duration.millis(options.deadlineMs),
      onTimeout: () =>
        new GitHubFailure({ message: `no answer within ${Duration.format(options.deadlineMs)}` }),
    }),
  )
