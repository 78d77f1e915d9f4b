/**
 * The plugin registry: the only file that lists every plugin. The engine receives this list and
 * never imports a plugin itself; bin/ adds the `simulator` section, tests add their stand-ins.
 */

import type { AnyPlugin, RunState, SecretEnv } from "../engine/index.ts"
import type { Database } from "../services/database/Database.ts"
import type { HerokuDataApi } from "../services/heroku/DataApi.ts"
import type { HerokuApi } from "../services/heroku/HerokuApi.ts"
import { addonsPlugin } from "./addons/plugin.ts"
import { appPlugin } from "./app/plugin.ts"
import { backupPlugin } from "./backup/plugin.ts"
import { configPlugin } from "./config/plugin.ts"
import { domainsPlugin } from "./domains/plugin.ts"
import { drainsPlugin } from "./drains/plugin.ts"
import { formationPlugin } from "./formation/plugin.ts"
import { healthPlugin } from "./health/plugin.ts"
import { migrationsPlugin } from "./migrations/plugin.ts"
import { pipelinePlugin } from "./pipeline/plugin.ts"
import { referenceDataPlugin } from "./reference-data/plugin.ts"
import { releasePlugin } from "./release/plugin.ts"

/** The services plugins may need; the CLI edge provides them per run. */
export type PluginServices = HerokuApi | HerokuDataApi | Database | SecretEnv | RunState

/** Every plugin, in no particular order (the engine orders steps by wave). */
export const plugins: ReadonlyArray<AnyPlugin<PluginServices>> = [
  appPlugin,
  addonsPlugin,
  pipelinePlugin,
  domainsPlugin,
  drainsPlugin,
  configPlugin,
  formationPlugin,
  backupPlugin,
  migrationsPlugin,
  referenceDataPlugin,
  releasePlugin,
  healthPlugin,
]
