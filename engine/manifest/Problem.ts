/**
 * A problem in a manifest, positioned in the file that supplied the offending key or value, and the one
 * error that carries all of them. Messages never contain secret values.
 */
import * as Schema from "effect/Schema"

export const ProblemSchema = Schema.Struct({
  file: Schema.String,
  line: Schema.Number,
  col: Schema.Number,
  /** Dotted value path, e.g. `spec.app.name` or `spec.addons[0].plan`; "" for the document root. */
  path: Schema.String,
  message: Schema.String,
})
export interface Problem extends Schema.Schema.Type<typeof ProblemSchema> {}

/** `file:line:col: path: message`, or `file:line:col: message` when the path is the root. */
export const formatProblem = (p: Problem): string =>
  `${p.file}:${p.line}:${p.col}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`

/** Orders problems by file, then position, so output is stable. */
export const sortProblems = (problems: ReadonlyArray<Problem>): ReadonlyArray<Problem> =>
  [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  )

/** The manifest could not be loaded; `problems` lists every problem found, not just the first. */
export class ManifestError extends Schema.TaggedError<ManifestError>()("ManifestError", {
  problems: Schema.Array(ProblemSchema),
}) {
  override get message(): string {
    return this.problems.map(formatProblem).join("\n")
  }
}

/** A `ManifestError` holding one problem at the top of `file`. */
export const fileError = (file: string, message: string): ManifestError =>
  new ManifestError({ problems: [{ file, line: 1, col: 1, path: "", message }] })
