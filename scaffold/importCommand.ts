/**
 * `reconcile import --env NAME --app APP [--plain K1,K2] [--force]`: writes manifests/NAME.yaml from
 * the live app and prints the `export` lines the runner needs — names only, values stay on Heroku.
 * What it does, once parsed; commandLine.ts defines it.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ExitCode, isPluginError, reportErrors, setExitCode, UsageError } from "../engine/index.ts"
import { herokuConfigFrom } from "../services/heroku/config.ts"
import { layer as herokuLayer } from "../services/heroku/HerokuApi.ts"
import { readLiveApp } from "./importApp.ts"
import { importManifest } from "./importManifest.ts"
import { renderManifest } from "./manifests.ts"
import { writeFiles } from "./write.ts"

/** A shell-safe single-quoted word. */
const quote = (s: string) => (/^[\w.-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

/** `reconcile import`, once parsed (commandLine.ts defines it). */
export const importHandler = (
  packageName: string,
  env: Readonly<Record<string, string | undefined>>,
  flags: {
    readonly env: string
    readonly app: string
    readonly plain: string
    readonly manifests: string
    readonly force: boolean
  },
) =>
  reportErrors(
    Effect.gen(function* () {
      if (!/^[A-Za-z0-9_-]+$/.test(flags.env))
        return yield* new UsageError({ detail: `--env ${flags.env}: use letters, digits, - and _` })
      const plain = flags.plain
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k !== "")
      const config = herokuConfigFrom(env)
      if (isPluginError(config)) return yield* config
      const live = yield* readLiveApp(flags.app, plain).pipe(
        Effect.provide(Layer.provide(herokuLayer(config), NodeHttpClient.layer)),
      )
      const imported = importManifest(flags.env, live, plain)
      const path = `${flags.manifests.replace(/\/+$/, "")}/${flags.env}.yaml`
      yield* writeFiles(".", [{ path, text: renderManifest(packageName, imported.manifest) }], {
        force: flags.force,
        guarded: [],
      })
      const missing = plain.filter((k) => live.plainValues[k] === undefined)
      const lines = [
        `wrote ${path} from ${live.name}: ${live.addons.length} add-on(s), ${live.attachments.length} attached add-on(s) of other apps, ${live.formation.length} process type(s), ${live.configKeys.length} config var(s)`,
        ...imported.skipped.map((s) => `note: ${s} has no attachment on this app and was left out`),
        ...missing.map((k) => `note: --plain ${k}: the app has no such config var`),
      ]
      if (imported.fromEnv.length > 0) {
        lines.push("", `Before a run, export these (values from Heroku; nothing here prints them):`)
        for (const key of imported.fromEnv)
          lines.push(`export ${key}="$(heroku config:get ${key} -a ${quote(live.name)})"`)
      }
      lines.push(
        "",
        `Then: npx reconcile --env ${flags.env} --dry-run --detailed-exitcode  (exit 0: in sync)`,
      )
      yield* Console.log(lines.join("\n"))
      yield* setExitCode(ExitCode.ok)
    }),
  )
