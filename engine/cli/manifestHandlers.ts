/**
 * What `validate`, `schema` and `envs` do once parsed (commands.ts holds the definitions): they read
 * manifests and nothing else, so they load no planner or executor, and of the plugins only their
 * sections and checks.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../errors.ts"
import {
  deployableEnvironments,
  listEnvironments,
  manifestJsonSchema,
  manifestLoader,
} from "../manifest/index.ts"
import { ExitCode, setExitCode } from "./exitCodes.ts"
import type { MissingEnv } from "./flags.ts"
import { reportErrors } from "./report.ts"
import type { ManifestParts } from "./sections.ts"

/** `reconcile validate [--env NAME]`. */
export const validateHandler = (
  parts: ManifestParts,
  flags: { readonly env: Option.Option<string>; readonly manifests: string },
) =>
  reportErrors(
    Effect.gen(function* () {
      const envs = Option.isSome(flags.env) ? [flags.env.value] : yield* listEnvironments(flags.manifests)
      const load = manifestLoader(parts)
      for (const env of envs) {
        const m = yield* load(flags.manifests, env)
        yield* Console.log(`${m.file}: valid (${Object.keys(m.spec).length} section(s))`)
      }
      yield* setExitCode(ExitCode.ok)
    }),
  )

/** `reconcile schema`. */
export const schemaHandler = (parts: ManifestParts) =>
  Console.log(JSON.stringify(manifestJsonSchema(parts.sections), null, 2))

/** `reconcile envs`. */
export const envsHandler = (flags: {
  readonly manifests: string
  readonly json: boolean
  readonly all: boolean
}) =>
  reportErrors(
    Effect.flatMap(deployableEnvironments(flags.manifests, { includeLocal: flags.all }), (names) =>
      Console.log(flags.json ? JSON.stringify(names) : names.join("\n")),
    ),
  )

/**
 * The usage error for a command run without its `--env`: what --env is, and the environments in the
 * manifests folder to choose from (bases other manifests extend are not environments).
 */
export const envRequired = ({ command, need, manifests }: MissingEnv): Effect.Effect<never, UsageError> => {
  const where = `${manifests}/NAME.yaml`
  const what = `reconcile${command === "" ? "" : ` ${command}`} needs --env NAME, the environment`
  const detail =
    need === "new"
      ? Effect.succeed(`${what} to write (${where})`)
      : deployableEnvironments(manifests, { includeLocal: true }).pipe(
          Effect.map((names) =>
            names.length === 0
              ? `${what} (read from ${where}), but ${manifests} has no *.yaml manifest`
              : `${what} (read from ${where}): one of ${names.join(", ")}`,
          ),
          Effect.catchTag("ManifestError", (e) =>
            Effect.succeed(`${what} (read from ${where}); ${e.problems.map((p) => p.message).join("; ")}`),
          ),
        )
  return Effect.flatMap(detail, (d) => Effect.fail(new UsageError({ detail: d })))
}

/** Reports `envRequired` as a usage error (exit 1). */
export const envRequiredHandler = (missing: MissingEnv) => reportErrors(envRequired(missing))
