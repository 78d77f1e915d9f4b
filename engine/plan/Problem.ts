/**
 * A plan problem: something diff found that stops the plan from being applied as it is. Plans show
 * every problem in one place; an `error` makes a dry-run exit 1 and an apply refuse before it writes.
 */
import * as Schema from "effect/Schema"

export class Problem extends Schema.Class<Problem>("Problem")({
  /** What it is about: `<plugin>/<key>`, or the plugin's name. */
  address: Schema.String,
  plugin: Schema.String,
  severity: Schema.Literal("error", "warning"),
  message: Schema.String,
}) {}

export const errorsOf = (problems: ReadonlyArray<Problem>): ReadonlyArray<Problem> =>
  problems.filter((p) => p.severity === "error")

/** One line naming every error, for a refusal or a failed run. */
export const problemsLine = (problems: ReadonlyArray<Problem>): string =>
  errorsOf(problems)
    .map((p) => `${p.address}: ${p.message}`)
    .join("; ")
