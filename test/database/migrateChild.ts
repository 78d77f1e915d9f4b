/**
 * A child process for the crash test: applies one manifest folder (`node --import tsx
 * migrateChild.ts <manifests> <env>`), secrets from its own environment.
 */
import * as Layer from "effect/Layer"
import { PluginError } from "../../engine/errors.ts"
import { secretEnvFromRecord } from "../../engine/manifest/index.ts"
import { RunState } from "../../engine/plugin/RunState.ts"
import { backupPlugin } from "../../plugins/backup/plugin.ts"
import { migrationsPlugin } from "../../plugins/migrations/plugin.ts"
import { referenceDataPlugin } from "../../plugins/reference-data/plugin.ts"
import { layer as databaseLayer } from "../../services/database/Database.ts"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { HerokuApi, unavailable } from "../../services/heroku/HerokuApi.ts"
import { reconcile } from "../support/engine.ts"

const [dir, env] = process.argv.slice(2)
const none = unavailable(new PluginError({ reason: "Unauthorized", detail: "no Heroku API in this child" }))
const layer = Layer.mergeAll(
  Layer.succeed(HerokuApi, none),
  Layer.succeed(HerokuDataApi, none),
  databaseLayer,
  secretEnvFromRecord({ ...process.env }),
  RunState.layer,
)
const { summary } = await reconcile({
  plugins: [backupPlugin, migrationsPlugin, referenceDataPlugin],
  dir: dir ?? "manifests",
  env: env ?? "test",
  layer,
  secrets: { ...process.env },
})
process.stdout.write(`${JSON.stringify({ converged: summary?.converged })}\n`)
