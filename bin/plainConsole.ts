/**
 * Colour only where a person reads it: @effect/cli prints its help and usage errors with ANSI
 * styles unconditionally, so when stdout (or stderr) is not a terminal, or NO_COLOR is set, the
 * process edge swaps in a console that strips them from that stream.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is matched
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g

/** The text without ANSI escape sequences. */
export const stripAnsi = (text: string): string => text.replace(ansi, "")

const plain = (args: ReadonlyArray<unknown>) => args.map((a) => (typeof a === "string" ? stripAnsi(a) : a))

// one decision for the live CLI and the fast start (start.ts), which must print the same
export { wantsColour } from "./start.ts"

/** Runs `self` with a console that strips colour from the streams that should carry none. */
export const withPlainConsole =
  (colour: { readonly stdout: boolean; readonly stderr: boolean }) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    colour.stdout && colour.stderr
      ? self
      : Console.consoleWith((base) => {
          const log = (...args: ReadonlyArray<unknown>) => base.log(...(colour.stdout ? args : plain(args)))
          const error = (...args: ReadonlyArray<unknown>) =>
            base.error(...(colour.stderr ? args : plain(args)))
          const unsafe: Console.UnsafeConsole = {
            ...base.unsafe,
            log: (...args) => base.unsafe.log(...(colour.stdout ? args : plain(args))),
            error: (...args) => base.unsafe.error(...(colour.stderr ? args : plain(args))),
          }
          return Effect.withConsole(self, { ...base, log, error, unsafe })
        })
