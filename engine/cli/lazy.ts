/**
 * Loading on first use. A command's definition (name, flags, description) is all `--help` needs;
 * its handler, and what the handler needs (plugins, services, the simulator, pg), is imported only
 * when that command runs, so the bundle splits it into chunks no other command loads.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { ExitCode, setExitCode } from "./exitCodes.ts"

/** Something loaded when first asked for: a dynamic `import()`, or the edge's configuration. */
export type Load<A> = () => Promise<A>

/** `load` once: later calls share the first call's promise. */
export const once = <A>(load: Load<A>): Load<A> => {
  const memo: { promise?: Promise<A> } = {}
  return () => {
    memo.promise ??= load()
    return memo.promise
  }
}

const messageOf = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)

/**
 * Runs `use` with what `load` gives. A module that cannot be loaded is a broken installation (or a
 * bug), not a user error: it is said in one line and the command exits 1.
 */
export const loaded = <A, B, E, R>(load: Load<A>, use: (a: A) => Effect.Effect<B, E, R>) =>
  Effect.tryPromise({ try: () => load(), catch: (e) => e }).pipe(
    Effect.matchEffect({
      onFailure: (e) =>
        Console.error(`internal error (a bug in reconcile, or a broken installation): ${messageOf(e)}`).pipe(
          Effect.zipRight(setExitCode(ExitCode.error)),
        ),
      onSuccess: use,
    }),
  )
