/**
 * Reading the live side of a release from the Platform API: the current release, the source it was
 * built from (the build whose slug it runs), and the app's URL.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { PluginError } from "../../engine/index.ts"
import { HerokuApi } from "./HerokuApi.ts"
import { AppWeb, Build, Release } from "./releaseSchemas.ts"
import { knownSource, rememberSource } from "./slugSources.ts"

export interface Current {
  readonly release: Release
  /** The source checksum of the build that produced the release's slug, when known. */
  readonly checksum: string | null
}

/** Every release of the app, oldest first. */
export const releases = (app: string) =>
  Effect.flatMap(HerokuApi, (api) =>
    api.list(`/apps/${app}/releases`, Release, { field: "version", max: 200 }),
  )

/** The current release: the one Heroku marks current, else the newest succeeded one. */
export const currentRelease = (app: string): Effect.Effect<Release | null, PluginError, HerokuApi> =>
  Effect.map(releases(app), pick)

/** The release Heroku marks current, else the newest succeeded one. */
const pick = (all: ReadonlyArray<Release>): Release | null => {
  const marked = all.find((r) => r.current === true)
  if (marked !== undefined) return marked
  const succeeded = all.filter((r) => r.status === "succeeded")
  return succeeded[succeeded.length - 1] ?? null
}

const orEmpty = <A, R>(
  e: Effect.Effect<ReadonlyArray<A>, PluginError, R>,
): Effect.Effect<ReadonlyArray<A>, PluginError, R> =>
  Effect.catchIf(
    e,
    (err) => err.reason === "NotFound",
    () => Effect.succeed([]),
  )

/**
 * The app, if it exists, and its current release with the source it was built from: the app and its
 * releases read at once; the builds only when this machine does not already know the slug's source.
 */
export const appAndCurrent = (
  app: string,
): Effect.Effect<
  { readonly app: Option.Option<typeof AppWeb.Type>; readonly current: Current | null },
  PluginError,
  HerokuApi
> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const [found, all] = yield* Effect.all([api.find(`/apps/${app}`, AppWeb), orEmpty(releases(app))], {
      concurrency: "unbounded",
    })
    if (Option.isNone(found)) return { app: found, current: null }
    const release = pick(all)
    if (release === null) return { app: found, current: null }
    const slugId = release.slug?.id
    if (slugId === undefined) return { app: found, current: { release, checksum: null } }
    const known = yield* knownSource(slugId)
    if (known !== null) return { app: found, current: { release, checksum: known } }
    const builds = yield* orEmpty(api.list(`/apps/${app}/builds`, Build, { field: "started_at" }))
    const checksum = builds.find((b) => b.slug?.id === slugId)?.source_blob.checksum ?? null
    if (checksum !== null) yield* rememberSource(slugId, checksum)
    return { app: found, current: { release, checksum } }
  })

/** The current release and its build, or null for an app that does not exist or never released. */
export const current = (app: string): Effect.Effect<Current | null, PluginError, HerokuApi> =>
  Effect.map(appAndCurrent(app), (r) => r.current)

/** The app's web URL, or null when the app does not exist. */
export const webUrl = (app: string): Effect.Effect<string | null, PluginError, HerokuApi> =>
  Effect.flatMap(HerokuApi, (api) => api.find(`/apps/${app}`, AppWeb)).pipe(
    Effect.map(Option.match({ onNone: () => null, onSome: (a) => a.web_url ?? null })),
  )

/** Fetches a text stream (build output, release phase output) to its end; empty when unreadable. */
export const readStream = (url: string | null | undefined): Effect.Effect<string> =>
  url === null || url === undefined
    ? Effect.succeed("")
    : Effect.promise((signal) =>
        fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) })
          .then((r) => (r.ok ? r.text() : ""))
          .catch(() => ""),
      )

/** The last `n` lines of a text. */
export const tail = (text: string, n = 15): string => text.trimEnd().split("\n").slice(-n).join("\n")
