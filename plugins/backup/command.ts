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
import * as Redacted from "effect/Redacted"
import {
  ExitCode,
  type ExtensionConfig,
  openEnvironment,
  type PluginError,
  type RunContext,
  reportErrors,
  runOnEnv,
  SecretEnv,
  setExitCode,
} from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { listBackups } from "./listing.ts"
import { listJson, listText } from "./render.ts"
import { restoreBackup } from "./restore.ts"
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

/** `--scratch-server`: a URL, or the name of an environment variable holding one (keeps the password off the command line). */
const scratchServer = (value: Option.Option<string>) =>
  Effect.map(SecretEnv, (env) =>
    Option.match(value, {
      onNone: () => undefined,
      onSome: (v) => Redacted.make(/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? (env.get(v) ?? "") : v),
    }),
  )

const restoreRun = <R>(
  config: BackupCommandConfig<R>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly backup: string
    readonly allowDestroy: boolean
  },
) =>
  reportErrors(
    Effect.gen(function* () {
      const session = yield* openEnvironment(config.plugins, flags)
      const startedAt = new Date(yield* Clock.currentTimeMillis)
      const result = yield* Effect.either(restoreBackup(session.ctx, flags)).pipe(
        Effect.provide(config.services(session.ctx)),
      )
      if (flags.allowDestroy) {
        const done = Either.getRight(result)
        const notes = yield* config
          .record(session.ctx, {
            kind: "restore",
            startedAt,
            finishedAt: new Date(yield* Clock.currentTimeMillis),
            outcome: Either.isRight(result) ? "succeeded" : "failed",
            manifestDigest: session.manifest.digest,
            backup: Option.getOrNull(Option.map(done, (d) => d.safety)),
            summary: {
              kind: "restore",
              backup: flags.backup,
              ...Option.getOrElse(
                Option.map(done, (d) => ({ safetyBackup: d.safety })),
                () => ({}),
              ),
              ...(Either.isLeft(result) ? { error: result.left.message } : {}),
            },
          })
          .pipe(
            Effect.provide(config.services(session.ctx)),
            Effect.catchAll((e: PluginError) => Effect.succeed([`run history not recorded: ${e.message}`])),
          )
        yield* Effect.forEach(notes, (n) => Console.error(`note: ${n}`))
      }
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
