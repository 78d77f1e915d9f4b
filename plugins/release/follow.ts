/**
 * Waiting for a build and then its release, as `Pending` results the executor polls: a failed build
 * or release phase fails the step with the tail of its output; success reports the app's URL and the
 * new release. On a terminal, the build output is followed live on stderr.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import {
  type ApplyResult,
  done,
  PluginError,
  type PolicySpec,
  pending,
  policyFrom,
  scrubSecrets,
  secretValuesOfEnv,
} from "../../engine/index.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Build, Release } from "../../services/heroku/releaseSchemas.ts"
import { readStream, tail as tailOf, webUrl } from "../../services/heroku/releases.ts"
import { rememberSource } from "../../services/heroku/slugSources.ts"

/** Streams a build's output to stderr while it runs (only on a terminal; never fails). */
export const showProgress = (url: string | null | undefined): Effect.Effect<void> =>
  process.stderr.isTTY !== true || url === null || url === undefined
    ? Effect.void
    : Effect.forkDaemon(
        Effect.promise(async (signal) => {
          const res = await fetch(url, { signal }).catch(() => null)
          if (res?.body === null || res?.body === undefined) return
          for await (const chunk of res.body) process.stderr.write(chunk)
        }),
      ).pipe(Effect.asVoid)

/** The output's tail, without the manifest's secrets, the runner's, or any URL's password. */
const scrubbedTail = (secrets: ReadonlyArray<string>) => (output: string, n?: number) =>
  scrubSecrets(tailOf(output, n), [...secrets, ...secretValuesOfEnv(process.env)])

const fail = (detail: string) => new PluginError({ reason: "Invalid", detail })

/** Polls a release until its release phase ends. */
export const followRelease = (
  app: string,
  releaseId: string,
  buildOutput: string,
  secrets: ReadonlyArray<string> = [],
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const tail = scrubbedTail(secrets)
    const api = yield* HerokuApi
    const release = yield* api.get(`/apps/${app}/releases/${releaseId}`, Release)
    if (release.status === "pending")
      return pending(
        `release v${release.version}: release phase running`,
        followRelease(app, releaseId, buildOutput, secrets),
      )
    if (release.status !== "succeeded") {
      const output = yield* readStream(release.output_stream_url)
      return yield* Effect.fail(
        fail(
          `release v${release.version} ${release.status}: the release phase failed; the previous release stays current\n${tail(output)}`,
        ),
      )
    }
    const url = yield* webUrl(app)
    const message = `released v${release.version}${url === null ? "" : ` at ${url}`}${buildOutput === "" ? "" : `\n${tail(buildOutput, 8)}`}`
    return done(message, { ...(url === null ? {} : { appUrl: url }), release: `v${release.version}` })
  })

/**
 * How long one look at a build may wait on its output stream: 20 s, or half the step timeout when
 * that is shorter, so that a look never runs into `policy.stepTimeout`.
 */
export const streamWaitOf = (spec: Readonly<Record<string, unknown>>): number =>
  Math.min(
    20_000,
    Duration.toMillis(policyFrom(spec.policy as PolicySpec | undefined, false).stepTimeout) / 2,
  )

/** What following a build needs besides its ids. */
export interface FollowOptions {
  /** Secret values to scrub from the output shown. */
  readonly secrets: ReadonlyArray<string>
  /** Longest wait on the output stream per look (`streamWaitOf`). */
  readonly streamWaitMs: number
}

/**
 * Waits until a build's output stream ends (Heroku closes it when the build ends), at most
 * `waitMs`: the build is then read once, when it is done, instead of polled. Never fails: an
 * unreadable stream just ends the wait, and the executor's backed-off polls take over.
 */
export const awaitStreamEnd = (url: string | null | undefined, waitMs: number): Effect.Effect<void> =>
  url === null || url === undefined || waitMs <= 0
    ? Effect.void
    : Effect.promise(async (signal) => {
        const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(waitMs)]) })
        if (!res.ok || res.body === null) return
        for await (const _ of res.body);
      }).pipe(Effect.catchAllDefect(() => Effect.void))

/** Follows a build (waiting on its output stream, else polled) until it ends, then its release. */
export const followBuild = (
  app: string,
  buildId: string,
  options: FollowOptions,
  streamUrl?: string | null,
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const { secrets } = options
    const tail = scrubbedTail(secrets)
    const api = yield* HerokuApi
    yield* awaitStreamEnd(streamUrl, options.streamWaitMs)
    const build = yield* api.get(`/apps/${app}/builds/${buildId}`, Build)
    if (build.status === "pending")
      return pending(`building ${app}`, followBuild(app, buildId, options, build.output_stream_url))
    const output = yield* readStream(build.output_stream_url)
    if (build.status !== "succeeded" || build.release === null)
      return yield* Effect.fail(
        fail(`build ${build.status}; the previous release stays current\n${tail(output)}`),
      )
    // remembered so that later observations need no list of builds to know what the slug runs
    if (
      build.slug !== null &&
      build.source_blob.checksum !== null &&
      build.source_blob.checksum !== undefined
    )
      yield* rememberSource(build.slug.id, build.source_blob.checksum)
    return yield* followRelease(app, build.release.id, output, secrets)
  })
