/**
 * `reconcile import --env NAME --app APP [--plain K1,K2] [--force]`: writes manifests/NAME.yaml from
 * the live app and prints the `export` lines the runner needs — names only, values stay on Heroku.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  ExitCode,
  envOption,
  isPluginError,
  manifestsOption,
  reportErrors,
  setExitCode,
  UsageError,
} from "../engine/index.ts"
import { herokuConfigFrom } from "../services/heroku/config.ts"
import { layer as herokuLayer } from "../services/heroku/HerokuApi.ts"
import { readLiveApp } from "./importApp.ts"
import { importManifest } from "./importManifest.ts"
import { forceOption } from "./initCommand.ts"
import { renderManifest } from "./manifests.ts"
import { writeFiles } from "./write.ts"

const appOption = Options.text("app").pipe(
  Options.withAlias("a"),
  Options.withDescription("the live Heroku app"),
)
const plainOption = Options.text("plain").pipe(
  Options.withDefault(""),
  Options.withDescription(
    "config vars written with their value (comma-separated); every other is { fromEnv }",
  ),
)

/** A shell-safe single-quoted word. */
const quote = (s: string) => (/^[\w.-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

export const importCommand = (packageName: string, env: Readonly<Record<string, string | undefined>>) =>
  Command.make(
    "import",
    {
      env: envOption("the environment to write: <manifests>/<NAME>.yaml"),
      app: appOption,
      plain: plainOption,
      manifests: manifestsOption,
      force: forceOption,
    },
    (flags) =>
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
      ),
  ).pipe(
    Command.withDescription(
      "Write a manifest from a live app (region, stack, buildpacks, maintenance, add-ons, formation, config var names). Values are never written: vars become { fromEnv: KEY } unless named in --plain.",
    ),
  )
