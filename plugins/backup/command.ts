/**
 * `reconcile backup list | restore | verify --env NAME` once parsed (commandLine.ts defines them). The edge supplies every
 * plugin (so any manifest validates), the run's services, and how a restore is recorded in the
 * run history (history/ lives beside the plugins, so it is handed in, not imported).
 */
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import {
  ExitCode,
  type ExtensionConfig,
  openEnvironment,
  type PluginError,
  type RunContext,
  reportErrors,
  runOnEnv,
  type SecretEnv,
  setExitCode,
} from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { listBackups } from "./listing.ts"
import { listJson, listText } from "./render.ts"
import { refusal, restoreBackup, restoreTarget } from "./restore.ts"
import { previewRestore } from "./restorePreview.ts"
import { scratchServer } from "./scratch.ts"
import { verifyBackup } from "./verify.ts"

/** A restore as the run history records it. */
export interface RestoreRun {
  readonly kind: "restore"
  readonly startedAt: Date
  readonly finishedAt: Date
  readonly outcome: "succeeded" | "failed"
  readonly manifestDigest: string | null
  readonly backup: string | null
  readonly summary: unknown
}

type Services = HerokuApi | HerokuDataApi | Database | SecretEnv

export interface BackupCommandConfig<R> extends ExtensionConfig<R, Services> {
  /** Records a restore run; returns notes on what could not be recorded. */
  readonly record: (
    ctx: RunContext,
    run: RestoreRun,
  ) => Effect.Effect<ReadonlyArray<string>, never, HerokuApi>
}

const restoreRun = <R>(
  config: BackupCommandConfig<R>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly backup: Option.Option<string>
    readonly allowDestroy: boolean
    readonly dryRun: boolean
  },
) =>
  reportErrors(
    Effect.gen(function* () {
      const session = yield* openEnvironment(config.plugins, flags)
      const services = config.services(session.ctx)
      // an unknown or missing backup is refused before anything else, and is no restore run
      const target = yield* restoreTarget(session.ctx, Option.getOrUndefined(flags.backup)).pipe(
        Effect.provide(services),
      )
      if (flags.dryRun) {
        yield* Console.log(yield* previewRestore(session.ctx, target).pipe(Effect.provide(services)))
        return yield* setExitCode(ExitCode.ok)
      }
      if (!flags.allowDestroy) return yield* Effect.fail(refusal(session.ctx.env, target.backup.id))
      const startedAt = new Date(yield* Clock.currentTimeMillis)
      const result = yield* Effect.either(restoreBackup(session.ctx, target)).pipe(Effect.provide(services))
      const succeeded = Either.getRight(result)
      const notes = yield* config
        .record(session.ctx, {
          kind: "restore",
          startedAt,
          finishedAt: new Date(yield* Clock.currentTimeMillis),
          outcome: Either.isRight(result) ? "succeeded" : "failed",
          manifestDigest: session.manifest.digest,
          backup: Option.getOrNull(Option.map(succeeded, (d) => d.safety)),
          summary: {
            kind: "restore",
            backup: target.backup.id,
            ...Option.getOrElse(
              Option.map(succeeded, (d) => ({ safetyBackup: d.safety })),
              () => ({}),
            ),
            ...(Either.isLeft(result) ? { error: result.left.message } : {}),
          },
        })
        .pipe(
          Effect.provide(services),
          Effect.catchAll((e: PluginError) => Effect.succeed([`run history not recorded: ${e.message}`])),
        )
      yield* Effect.forEach(notes, (n) => Console.error(`note: ${n}`))
      const done = yield* result
      yield* Console.log(
        `restored ${session.ctx.env}'s database from backup ${done.restored}; the state before it is backup ${done.safety} (restore that to undo)`,
      )
      yield* setExitCode(ExitCode.ok)
    }),
  )

/** `backup list`, once parsed (commandLine.ts defines it). */
export const listHandler = <R>(
  config: BackupCommandConfig<R>,
  flags: { readonly env: string; readonly manifests: string; readonly output: "text" | "json" },
) =>
  runOnEnv(config, flags, (ctx) =>
    Effect.map(listBackups(ctx), (all) =>
      flags.output === "json" ? listJson(ctx.env, all) : listText(ctx.env, all),
    ),
  )

/** `backup restore`, once parsed. */
export const restoreHandler = restoreRun

/** `backup verify`, once parsed. */
export const verifyHandler = <R>(
  config: BackupCommandConfig<R>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly backup: Option.Option<string>
    readonly scratchServer: Option.Option<string>
  },
) =>
  runOnEnv(config, flags, (ctx) =>
    Effect.flatMap(scratchServer(flags.scratchServer), (server) =>
      verifyBackup(ctx, {
        ...Option.match(flags.backup, { onNone: () => ({}), onSome: (backup) => ({ backup }) }),
        ...(server === undefined ? {} : { server }),
      }),
    ),
  )
