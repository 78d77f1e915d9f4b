/** `reconcile reference-data export --env NAME`, once parsed (commandLine.ts defines it). */
import { type ExtensionConfig, runOnEnv } from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { exportReferenceData } from "./export.ts"

/** `reference-data export`: writes the environment's reference tables into the dataset files. */
export const exportHandler = <R>(
  config: ExtensionConfig<R, HerokuApi | Database>,
  flags: { readonly env: string; readonly manifests: string },
) => runOnEnv(config, flags, exportReferenceData)
