/** How an extension command (migrations, reference-data, history, ...) runs on one environment. */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type { PluginError } from "../errors.ts"
import type { RunContext } from "../plugin/Plugin.ts"
import { ExitCode, setExitCode } from "./exitCodes.ts"
import type { ExtensionConfig } from "./options.ts"
import { reportErrors } from "./report.ts"
import { openEnvironment } from "./session.ts"

/** Opens the environment's session, runs `body` with the run's services and prints its result. */
export const runOnEnv = <R, S>(
  config: ExtensionConfig<R, S>,
  flags: { readonly env: string; readonly manifests: string },
  body: (ctx: RunContext) => Effect.Effect<string, PluginError, S>,
) =>
  reportErrors(
    Effect.gen(function* () {
      const session = yield* openEnvironment(config.plugins, flags)
      const message = yield* body(session.ctx).pipe(Effect.provide(config.services(session.ctx)))
      yield* Console.log(message)
      yield* setExitCode(ExitCode.ok)
    }),
  )
