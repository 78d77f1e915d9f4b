/**
 * `reconcile sim`: the Heroku simulator, standalone. With `--env NAME` (an environment whose
 * manifest has `spec.simulator`, e.g. local) it serves that environment's state, so its apps keep
 * running after a run and runs attach to it. Loaded lazily so ordinary runs do not pay for it.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { envOption, manifestsOption } from "../engine/cli/options.ts"
import { reportErrors } from "../engine/cli/report.ts"
import { checksOf, sectionsOf } from "../engine/cli/session.ts"
import { UsageError } from "../engine/errors.ts"
import { loadManifest } from "../engine/manifest/index.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import type { SimulatorSpec } from "./simulator.ts"

/**
 * Ctrl-C (or SIGTERM) is how a served simulator ends: the runtime interrupts the command at once and
 * would exit 1 before the simulator had stopped its dynos and PostgreSQL. The serve loop handles the
 * signal itself, so the command is uninterruptible and a clean stop exits 0 here.
 */
const stoppedCleanly = async (serving: Promise<void>): Promise<void> => {
  await serving
  process.exit(0)
}

const serveEnvironment = <R>(plugins: ReadonlyArray<AnyPlugin<R>>, env: string, dir: string, port?: number) =>
  Effect.gen(function* () {
    const manifest = yield* loadManifest({
      dir,
      env,
      sections: sectionsOf(plugins),
      checks: checksOf(plugins),
    })
    const spec = manifest.spec.simulator as SimulatorSpec | undefined
    if (spec === undefined) {
      return yield* new UsageError({
        detail: `${manifest.file} has no spec.simulator section: it targets the real Heroku, not the simulator`,
      })
    }
    const { serveLocal } = yield* Effect.promise(() => import("./local.ts"))
    yield* Effect.tryPromise({
      try: () =>
        stoppedCleanly(
          serveLocal(spec.stateDir ?? ".reconcile/local", port, (l) => process.stderr.write(`${l}\n`)),
        ),
      catch: (e) => new UsageError({ detail: `the simulator could not run: ${(e as Error).message}` }),
    })
  })

export const simCommand = <R>(plugins: ReadonlyArray<AnyPlugin<R>>) =>
  Command.make(
    "sim",
    {
      env: Options.optional(
        envOption("serve this environment's simulator state (its manifest has spec.simulator)"),
      ),
      manifests: manifestsOption,
      port: Options.integer("port").pipe(
        Options.optional,
        Options.withDescription("port on 127.0.0.1 (default: random)"),
      ),
      state: Options.text("state").pipe(
        Options.optional,
        Options.withDescription(
          "without --env: JSON file the simulator's state persists to (default: memory only)",
        ),
      ),
      faults: Options.file("faults", { exists: "yes" }).pipe(
        Options.optional,
        Options.withDescription(
          "without --env: JSON fault configuration (latency, error rates, 429 bursts, drops, seed)",
        ),
      ),
    },
    (flags) =>
      (Option.isSome(flags.env)
        ? reportErrors(
            serveEnvironment(plugins, flags.env.value, flags.manifests, Option.getOrUndefined(flags.port)),
          )
        : reportErrors(
            Effect.tryPromise({
              try: async () => {
                const { runSimulatorCli } = await import("../sim/cli.ts")
                await stoppedCleanly(
                  runSimulatorCli({
                    ...Option.match(flags.port, { onNone: () => ({}), onSome: (port) => ({ port }) }),
                    ...Option.match(flags.state, { onNone: () => ({}), onSome: (state) => ({ state }) }),
                    ...Option.match(flags.faults, { onNone: () => ({}), onSome: (faults) => ({ faults }) }),
                  }),
                )
              },
              // the simulator's failures are one line naming what failed, never a silent exit
              catch: (e) =>
                new UsageError({ detail: `the simulator could not run: ${(e as Error).message}` }),
            }),
          )
      ).pipe(Effect.uninterruptible),
  ).pipe(
    Command.withDescription(
      "Run the local Heroku Platform API simulator until Ctrl-C. `reconcile sim --env local` serves the local " +
        "environment so its app keeps running between runs; without --env, a standalone simulator (with an " +
        "embedded PostgreSQL for heroku-postgresql add-ons).",
    ),
  )
