/**
 * Waiting for a build and then its release, as `Pending` results the executor polls: a failed build
 * or release phase fails the step with the tail of its output; success reports the app's URL and the
 * new release. On a terminal, the build output is followed live on stderr.
 */
import * as Effect from "effect/Effect"
import {
  type ApplyResult,
  done,
  PluginError,
  pending,
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

/** Polls a build until it ends, then follows its release. */
export const followBuild = (
  app: string,
  buildId: string,
  secrets: ReadonlyArray<string> = [],
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const tail = scrubbedTail(secrets)
    const api = yield* HerokuApi
    const build = yield* api.get(`/apps/${app}/builds/${buildId}`, Build)
    if (build.status === "pending") return pending(`building ${app}`, followBuild(app, buildId, secrets))
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
