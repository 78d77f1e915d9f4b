/**
 * The `backup list | restore | verify` definitions; what they do is in command.ts, loaded when one
 * runs.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { envOption, type Load, loaded, manifestsOption } from "../../engine/commandLine.ts"
import type { BackupCommandConfig } from "./command.ts"

const handlers = () => import("./command.ts")

const backupOption = Options.text("backup").pipe(
  Options.withPseudoName("ID"),
  Options.withDescription("the backup's id, as backup list shows it"),
)

/** The `backup` command with its `list`, `restore` and `verify` subcommands. */
export const makeBackupCommand = <R>(config: Load<BackupCommandConfig<R>>) => {
  const list = Command.make(
    "list",
    {
      env: envOption(),
      manifests: manifestsOption,
      output: Options.choice("output", ["text", "json"]).pipe(Options.withDefault("text" as const)),
    },
    (flags) =>
      loaded(
        () => Promise.all([handlers(), config()]),
        ([h, c]) => h.listHandler(c, flags),
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
    (flags) =>
      loaded(
        () => Promise.all([handlers(), config()]),
        ([h, c]) => h.restoreHandler(c, flags),
      ),
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
        Options.withPseudoName("URL"),
        Options.optional,
        Options.withDescription(
          "Postgres server URL (or the name of a variable holding it) for the scratch database",
        ),
      ),
    },
    (flags) =>
      loaded(
        () => Promise.all([handlers(), config()]),
        ([h, c]) => h.verifyHandler(c, flags),
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
