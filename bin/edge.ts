/**
 * What a run needs from the edge, composed when a command first needs it (never for `--help`,
 * `validate` or `schema`): the plugins with their services, the apply lock, the reporters and the
 * run history.
 */
import type { ExtensionConfig } from "../engine/cli/options.ts"
import type { CliConfig } from "../engine/cli/run.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import type { BackupCommandConfig } from "../plugins/backup/command.ts"
import type { PluginServices } from "../plugins/index.ts"
import { reporters } from "../reporters/index.ts"
import { databaseLock } from "../services/database/lock.ts"
import { recordApply, recordRestore } from "./history.ts"
import { servicesFor } from "./services.ts"

type Plugins = ReadonlyArray<AnyPlugin<PluginServices>>

/** The configuration of a run of the engine's commands. */
export const cliConfig = (plugins: Plugins): CliConfig<PluginServices> => ({
  plugins,
  services: servicesFor,
  lock: databaseLock,
  reporters,
  recordApply,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
})

/** The configuration of the extension commands (history, migrations, reference-data). */
export const extensionConfig = (plugins: Plugins): ExtensionConfig<PluginServices, PluginServices> => ({
  plugins,
  services: servicesFor,
})

/** The `backup` commands' configuration: a restore is recorded in the run history. */
export const backupConfig = (plugins: Plugins): BackupCommandConfig<PluginServices> => ({
  plugins,
  services: servicesFor,
  record: recordRestore,
})
