/**
 * The plugin registry: the only file that lists every plugin. The engine receives this list and
 * never imports a plugin itself.
 */

import type { SecretEnv } from "../engine/manifest/index.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import type { Reporter } from "../engine/plugin/Reporter.ts"
import type { RunState } from "../engine/plugin/RunState.ts"
import { addonsPlugin } from "./addons/plugin.ts"
import { appPlugin } from "./app/plugin.ts"
import type { HerokuDataApi } from "./backup/DataApi.ts"
import { backupPlugin } from "./backup/plugin.ts"
import { configPlugin } from "./config/plugin.ts"
import { fakePlugin } from "./fake/plugin.ts"
import { formationPlugin } from "./formation/plugin.ts"
import { githubReporter } from "./github/reporter.ts"
import { healthPlugin } from "./health/plugin.ts"
import type { HerokuApi } from "./heroku/HerokuApi.ts"
import { migrationsPlugin } from "./migrations/plugin.ts"
import { referenceDataPlugin } from "./reference-data/plugin.ts"
import { releasePlugin } from "./release/plugin.ts"
import { simulatorPlugin } from "./simulator/plugin.ts"

/** The services plugins may need; the CLI edge provides them per run. */
export type PluginServices = HerokuApi | HerokuDataApi | SecretEnv | RunState

/** Every plugin, in no particular order (the engine orders steps by wave). */
export const plugins: ReadonlyArray<AnyPlugin<PluginServices>> = [
  fakePlugin,
  simulatorPlugin,
  appPlugin,
  addonsPlugin,
  configPlugin,
  formationPlugin,
  backupPlugin,
  migrationsPlugin,
  referenceDataPlugin,
  releasePlugin,
  healthPlugin,
]

/** Every reporter: told about each run, never able to fail one. */
export const reporters: ReadonlyArray<Reporter<never>> = [githubReporter]
