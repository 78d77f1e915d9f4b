/**
 * `reconcile validate` in its plain forms (start.ts picks them out: `--env NAME`, `-e NAME`,
 * `--manifests DIR`) run straight through its handler, without @effect/cli or any other command's
 * definition: half of validate's start was parsing a command line it did not need parsed. The
 * handler, the services it is given and the exit code are the live CLI's (main.ts), so the output
 * is the same; test/startOutput.test.ts compares the two.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitStatus } from "../engine/cli/exitCodes.ts"
import { withCliLogger } from "../engine/cli/logger.ts"
import { validateHandler } from "../engine/cli/manifestHandlers.ts"
import type { ManifestParts } from "../engine/cli/sections.ts"
import { processSecretEnv, SecretEnv } from "../engine/manifest/SecretEnv.ts"
import { exitCode, type Status } from "./exitCode.ts"
import { wantsColour, withPlainConsole } from "./plainConsole.ts"

/** Validates as `reconcile validate` does and sets the process's exit code. */
export const validateDirect = async (
  parts: ManifestParts,
  flags: { readonly env: string | undefined; readonly manifests: string },
): Promise<void> => {
  const status: Status = { code: 0 }
  const program = validateHandler(parts, {
    env: flags.env === undefined ? Option.none() : Option.some(flags.env),
    manifests: flags.manifests,
  }).pipe(
    Effect.provideService(ExitStatus, status),
    Effect.provideService(SecretEnv, processSecretEnv),
    withCliLogger(process.env.RECONCILE_QUIET === "1"),
    withPlainConsole({
      stdout: wantsColour(process.stdout.isTTY === true, process.env),
      stderr: wantsColour(process.stderr.isTTY === true, process.env),
    }),
  )
  process.exitCode = exitCode(await Effect.runPromiseExit(program), status)
}
