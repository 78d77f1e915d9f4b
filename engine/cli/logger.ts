/**
 * Progress goes to stderr so stdout carries only the requested output (text, JSON or markdown).
 * One line per event, prefixed with the step address when there is one.
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"

const stderrLogger = Logger.make(({ logLevel, message, annotations }) => {
  const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
  const step = HashMap.get(annotations, "step")
  const prefix = step._tag === "Some" ? `${String(step.value)}: ` : ""
  const level = LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)
    ? `${logLevel.label.toLowerCase()}: `
    : ""
  process.stderr.write(`  · ${prefix}${level}${text}\n`)
})

const filtered = (quiet: boolean) =>
  Logger.filterLogLevel(stderrLogger, (level) =>
    LogLevel.greaterThanEqual(level, quiet ? LogLevel.Warning : LogLevel.Info),
  )

/** Replaces the default (and pretty) loggers; `quiet` keeps only warnings and errors. */
export const cliLogger = (quiet: boolean) =>
  Layer.mergeAll(
    Logger.remove(Logger.defaultLogger),
    Logger.remove(Logger.prettyLoggerDefault),
    Logger.add(filtered(quiet)),
  )

/**
 * `cliLogger` for one effect, without building a layer (the direct `validate`, whose start counts):
 * the same loggers removed and the same one added, for as long as `self` runs.
 */
export const withCliLogger =
  (quiet: boolean) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, FiberRef.currentLoggers, (loggers) =>
      HashSet.add(
        HashSet.remove(HashSet.remove(loggers, Logger.defaultLogger), Logger.prettyLoggerDefault),
        filtered(quiet),
      ),
    )
