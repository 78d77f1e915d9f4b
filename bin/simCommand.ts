/**
 * `reconcile sim`: the Heroku simulator, standalone. Loaded lazily so `--help` and ordinary runs do
 * not pay for the simulator's code.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

export const simCommand = Command.make(
  "sim",
  {
    port: Options.integer("port").pipe(
      Options.optional,
      Options.withDescription("port on 127.0.0.1 (default: random)"),
    ),
    state: Options.text("state").pipe(
      Options.optional,
      Options.withDescription("JSON file the simulator's state persists to (default: memory only)"),
    ),
    faults: Options.file("faults", { exists: "yes" }).pipe(
      Options.optional,
      Options.withDescription("JSON fault configuration: latency, error rates, 429 bursts, drops, seed"),
    ),
  },
  (flags) =>
    Effect.promise(async () => {
      const { runSimulatorCli } = await import("../sim/cli.ts")
      await runSimulatorCli({
        ...Option.match(flags.port, { onNone: () => ({}), onSome: (port) => ({ port }) }),
        ...Option.match(flags.state, { onNone: () => ({}), onSome: (state) => ({ state }) }),
        ...Option.match(flags.faults, { onNone: () => ({}), onSome: (faults) => ({ faults }) }),
      })
    }),
).pipe(
  Command.withDescription(
    "Run the local Heroku Platform API simulator (with a real embedded Postgres for heroku-postgresql add-ons) until Ctrl-C.",
  ),
)
