/**
 * `reconcile rollback --env NAME [--to vN]`: Heroku's rollback (a new release reusing an earlier
 * release's slug and config) to the previous eligible release or the given one. A rollback never
 * touches the database, so it prints how to restore the backup taken before the target's migrations,
 * when the backup plugin recorded one (the `RollbackBackups` seam).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  type AnyPlugin,
  envOption,
  isPluginError,
  manifestsOption,
  openEnvironment,
  PluginError,
  type RunContext,
  reportErrors,
} from "../../engine/index.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { RollbackBackups } from "../../services/heroku/RollbackBackups.ts"
import { Release } from "../../services/heroku/releaseSchemas.ts"
import { releases } from "../../services/heroku/releases.ts"

export interface RollbackResult {
  /** A preview (`--dry-run`): nothing was written. */
  readonly dryRun: boolean
  readonly app: string
  readonly from: number
  readonly to: number
  readonly release: number
  readonly restoreCommand: string | null
}

/** Picks the target: `to`, or the newest eligible release older than the current one. */
export const rollbackTarget = (all: ReadonlyArray<Release>, to?: number): Release | PluginError => {
  const current = all.find((r) => r.current === true) ?? all.filter((r) => r.status === "succeeded").at(-1)
  if (current === undefined) return PluginError.invalid("the app has no current release")
  const target =
    to === undefined
      ? all.filter((r) => r.version < current.version && r.status === "succeeded" && r.slug !== null).at(-1)
      : all.find((r) => r.version === to)
  if (target === undefined)
    return PluginError.invalid(to === undefined ? "no earlier release to roll back to" : `no release v${to}`)
  if (target.id === current.id) return PluginError.invalid(`v${target.version} is already current`)
  if (target.status === "expired")
    return PluginError.invalid(`v${target.version} has expired and cannot be rolled back to`)
  if (target.status !== "succeeded" || target.eligible_for_rollback === false)
    return PluginError.invalid(`v${target.version} (${target.status}) is not eligible for rollback`)
  return target
}

const restoreFor = (app: string, version: number) =>
  Effect.gen(function* () {
    const backups = yield* Effect.serviceOption(RollbackBackups)
    const restore = Option.isSome(backups) ? yield* backups.value.restoreCommand(app, version) : Option.none()
    return Option.getOrNull(restore)
  })

/**
 * Rolls the app back and waits for the new release (and its release phase). With `dryRun` it only
 * reads: the same target is chosen and refused for the same reasons, and nothing is written.
 */
export const rollback = (
  app: string,
  to?: number,
  dryRun = false,
): Effect.Effect<RollbackResult, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const all = yield* releases(app)
    const target = rollbackTarget(all, to)
    if (isPluginError(target)) return yield* Effect.fail(target)
    const from = all.find((r) => r.current === true)?.version ?? 0
    if (dryRun)
      return {
        dryRun,
        app,
        from,
        to: target.version,
        release: from,
        restoreCommand: yield* restoreFor(app, target.version),
      }
    const created = yield* api.send("POST", `/apps/${app}/releases`, { release: target.id }, Release)
    const poll: Effect.Effect<Release, PluginError> = api
      .get(`/apps/${app}/releases/${created.id}`, Release)
      .pipe(
        Effect.flatMap((r) =>
          r.status === "pending"
            ? Effect.zipRight(
                Effect.sleep("500 millis"),
                Effect.suspend(() => poll),
              )
            : Effect.succeed(r),
        ),
      )
    const settled = yield* poll.pipe(
      Effect.timeoutFail({
        duration: "10 minutes",
        onTimeout: () =>
          new PluginError({ reason: "Timeout", detail: "the rollback release is still pending" }),
      }),
    )
    if (settled.status !== "succeeded")
      return yield* Effect.fail(
        PluginError.invalid(`rollback release v${settled.version} ${settled.status}; v${from} stays current`),
      )
    return {
      dryRun,
      app,
      from,
      to: target.version,
      release: settled.version,
      restoreCommand: yield* restoreFor(app, target.version),
    }
  })

/** What the command prints. */
export const describeRollback = (r: RollbackResult): string =>
  [
    r.dryRun
      ? `dry-run: would roll ${r.app} back from v${r.from} to v${r.to}'s slug and config; nothing was changed`
      : `rolled ${r.app} back from v${r.from} to v${r.to}'s slug and config (new release v${r.release})`,
    r.dryRun ? "the database would not be touched" : "the database was not touched",
    r.restoreCommand === null
      ? `no verified backup was taken after v${r.to} (no migration or reference-data change since, ` +
        "or backups are off); restore the database by hand if a change must be undone"
      : `to put the database back as it was for v${r.to} (before the migrations that followed it): ${r.restoreCommand}`,
  ].join("\n")

/** `reconcile rollback --env NAME [--to vN] [--manifests DIR]`; the edge supplies the plugins and HerokuApi. */
export const rollbackCommand = <R>(config: {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly heroku: (ctx: RunContext) => Layer.Layer<HerokuApi, PluginError>
}) =>
  Command.make(
    "rollback",
    {
      env: envOption("environment to roll back"),
      manifests: manifestsOption,
      to: Options.text("to").pipe(
        Options.optional,
        Options.withDescription("release to roll back to, e.g. v12 (default: the previous eligible one)"),
      ),
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription("show which release it would roll back to; nothing is written"),
      ),
    },
    (flags) =>
      reportErrors(
        Effect.gen(function* () {
          const session = yield* openEnvironment(config.plugins, flags)
          const app = yield* appNameOf(session.ctx, "release")
          const to = Option.getOrUndefined(flags.to)
          const version = to === undefined ? undefined : Number(to.replace(/^v/, ""))
          if (version !== undefined && !Number.isInteger(version))
            return yield* Effect.fail(PluginError.invalid(`--to ${to}: expected vN`))
          const result = yield* rollback(app, version, flags.dryRun).pipe(
            Effect.provide(config.heroku(session.ctx)),
          )
          yield* Console.log(describeRollback(result))
        }),
      ),
  ).pipe(
    Command.withDescription(
      "Roll the app back to an earlier release's slug and config (the database is not touched).",
    ),
  )
