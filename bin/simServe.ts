/** What `reconcile sim` does, once parsed (simCommand.ts defines it): loaded only when it runs. */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { reportErrors } from "../engine/cli/report.ts"
import { checksOf, sectionsOf } from "../engine/cli/sections.ts"
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

export const simHandler = <R>(
  plugins: ReadonlyArray<AnyPlugin<R>>,
  flags: {
    readonly env: Option.Option<string>
    readonly manifests: string
    readonly port: Option.Option<number>
    readonly state: Option.Option<string>
    readonly faults: Option.Option<string>
  },
) =>
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
          catch: (e) => new UsageError({ detail: `the simulator could not run: ${(e as Error).message}` }),
        }),
      )
  ).pipe(Effect.uninterruptible)
