/**
 * `reconcile sim`: the Heroku simulator, standalone. With `--env NAME` (an environment whose
 * manifest has `spec.simulator`, e.g. local) it serves that environment's state, so its apps keep
 * running after a run and runs attach to it. The definition only: simServe.ts, loaded when it runs,
 * serves.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { envOption, type Load, loaded, manifestsOption } from "../engine/commandLine.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"

export const simCommand = <R>(plugins: Load<ReadonlyArray<AnyPlugin<R>>>) =>
  Command.make(
    "sim",
    {
      env: Options.optional(
        envOption("serve this environment's simulator state (its manifest has spec.simulator)"),
      ),
      manifests: manifestsOption,
      port: Options.integer("port").pipe(
        Options.withPseudoName("N"),
        Options.optional,
        Options.withDescription("port on 127.0.0.1 (default: random)"),
      ),
      state: Options.text("state").pipe(
        Options.withPseudoName("FILE"),
        Options.optional,
        Options.withDescription(
          "without --env: JSON file the simulator's state persists to (default: memory only)",
        ),
      ),
      faults: Options.file("faults", { exists: "yes" }).pipe(
        Options.withPseudoName("FILE"),
        Options.optional,
        Options.withDescription(
          "without --env: JSON fault configuration (latency, error rates, 429 bursts, drops, seed)",
        ),
      ),
    },
    (flags) =>
      loaded(
        () => Promise.all([import("./simServe.ts"), plugins()]),
        ([h, p]) => h.simHandler(p, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Run the local Heroku Platform API simulator until Ctrl-C. `reconcile sim --env local` serves the local " +
        "environment so its app keeps running between runs; without --env, a standalone simulator (with an " +
        "embedded PostgreSQL for heroku-postgresql add-ons).",
    ),
  )
