/**
 * `reconcile backup list | restore | verify --env NAME`, for the CLI edge. The edge supplies every
 * plugin (so any manifest validates), the run's services, and how a restore is recorded in the
 * run history (history/ lives beside the plugins, so it is handed in, not imported).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import {
  ExitCode,
  type ExtensionConfig,
  envOption,
  manifestsOption,
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

const backupOption = Options.text("backup").pipe(
  Options.withDescription("the backup's id, as backup list shows it"),
)

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

/** The `backup` command with its `list`, `restore` and `verify` subcommands. */
export const makeBackupCommand = <R>(config: BackupCommandConfig<R>) => {
  const list = Command.make(
    "list",
    {
      env: envOption(),
      manifests: manifestsOption,
      output: Options.choice("output", ["text", "json"]).pipe(Options.withDefault("text" as const)),
    },
    (flags) =>
      runOnEnv(config, flags, (ctx) =>
        Effect.map(listBackups(ctx), (all) =>
          flags.output === "json" ? listJson(ctx.env, all) : listText(ctx.env, all),
        ),
      ),
  ).pipe(
    Command.withDescription(
      "List the environment's backups: id, time, size, verified, the release each preceded. Example: reconcile backup list --env staging",
    ),
  )
  const restore = Command.make(
    "restore",
    {
      env: envOption(),
      manifests: manifestsOption,
      backup: backupOption.pipe(Options.optional),
      allowDestroy: Options.boolean("allow-destroy").pipe(
        Options.withDescription("replace the database's contents (required)"),
      ),
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription("print what the restore would do; nothing is written"),
      ),
    },
    (flags) => restoreRun(config, flags),
  ).pipe(
    Command.withDescription(
      "Replace the environment's database with a backup (takes a backup of the current state first; needs --allow-destroy). " +
        "Example: reconcile backup restore --env staging --backup b002 --dry-run, then the same with --allow-destroy instead of --dry-run.",
    ),
  )
  const verify = Command.make(
    "verify",
    {
      env: envOption(),
      manifests: manifestsOption,
      backup: backupOption.pipe(Options.optional),
      scratchServer: Options.text("scratch-server").pipe(
        Options.optional,
        Options.withDescription(
          "Postgres server URL (or the name of a variable holding it) for the scratch database",
        ),
      ),
    },
    (flags) =>
      runOnEnv(config, flags, (ctx) =>
        Effect.flatMap(scratchServer(flags.scratchServer), (server) =>
          verifyBackup(ctx, {
            ...Option.match(flags.backup, { onNone: () => ({}), onSome: (backup) => ({ backup }) }),
            ...(server === undefined ? {} : { server }),
          }),
        ),
      ),
  ).pipe(
    Command.withDescription(
      "Restore test: restore a backup (default the newest) into a scratch database and compare every table's row count and the migration ledger. " +
        "Example: SCRATCH=postgres://user:pw@db.example:5432/postgres reconcile backup verify --env staging --scratch-server SCRATCH",
    ),
  )
  return Command.make("backup").pipe(
    Command.withDescription(
      "List, restore and restore-test the environment's backups: reconcile backup list|restore|verify --env NAME (see each one's --help).",
    ),
    Command.withSubcommands([list, restore, verify]),
  )
}
