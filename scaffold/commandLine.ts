/**
 * The `init` and `import` definitions (names, flags, descriptions); what they do is in
 * initCommand.ts and importCommand.ts, loaded when one runs.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { envOption, loaded, manifestsOption } from "../engine/commandLine.ts"

const dirOption = Options.directory("dir").pipe(
  Options.withPseudoName("DIR"),
  Options.withDefault("."),
  Options.withDescription("the app's repository (default: the working directory)"),
)
const forceOption = Options.boolean("force").pipe(
  Options.withDescription("overwrite files that exist with other content"),
)
const appOption = Options.text("app").pipe(
  Options.withPseudoName("APP"),
  Options.withAlias("a"),
  Options.withDescription("the live Heroku app"),
)
const plainOption = Options.text("plain").pipe(
  Options.withPseudoName("K1,K2"),
  Options.withDefault(""),
  Options.withDescription(
    "config vars written with their value (comma-separated); every other is { fromEnv }",
  ),
)

export const initCommand = (packageName: string) =>
  Command.make("init", { dir: dirOption, force: forceOption }, (flags) =>
    loaded(
      () => import("./initCommand.ts"),
      (m) => m.initHandler(packageName, flags),
    ),
  ).pipe(
    Command.withDescription(
      "Scaffold manifests (base, local, staging, production), CI/CD/drift workflows and .gitignore from app.json, the Procfile, prisma/ and package.json. Never overwrites a file without --force.",
    ),
  )

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
      loaded(
        () => import("./importCommand.ts"),
        (m) => m.importHandler(packageName, env, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Write a manifest from a live app (region, stack, buildpacks, maintenance, add-ons, formation, config var names). Values are never written: vars become { fromEnv: KEY } unless named in --plain.",
    ),
  )
