/**
 * The GitHub service: the one way the reporter talks to GitHub, taken from the context
 * (`yield* GitHub`). `call` runs an operation with a fresh octokit client bounded in time (per
 * request and overall) and turns any failure into a `GitHubFailure` that never carries the token.
 * The layer is made from a connection (API base URL and token) and the client's limits.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Octokit } from "octokit"
import { type ClientOptions, callGitHub, defaultClientOptions, type GitHubFailure } from "./client.ts"

/** Where GitHub's REST API is and who calls it. */
export interface GitHubConnection {
  readonly apiUrl: string
  readonly token: string
}

export interface GitHubShape {
  /** Runs `operation` with a bounded client; every failure (HTTP, network, deadline) is a `GitHubFailure`. */
  readonly call: <A>(operation: (octokit: Octokit) => Promise<A>) => Effect.Effect<A, GitHubFailure>
}

export class GitHub extends Context.Tag("reconcile/GitHub")<GitHub, GitHubShape>() {}

/** GitHub over octokit at `connection`, with the given limits (defaults: 10 s a request, 60 s a report). */
export const layer = (
  connection: GitHubConnection,
  options: ClientOptions = defaultClientOptions,
): Layer.Layer<GitHub> =>
  Layer.succeed(GitHub, { call: (operation) => callGitHub(connection, options, operation) })
