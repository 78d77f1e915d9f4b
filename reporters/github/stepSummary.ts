/**
 * The job summary: markdown appended to the file `$GITHUB_STEP_SUMMARY` names, kept under GitHub's
 * 1 MiB limit for a step's summary (what the file already holds counts too).
 */
import { appendFileSync, statSync } from "node:fs"
import * as Effect from "effect/Effect"
import { truncateUtf8 } from "./truncate.ts"

/** GitHub's limit on one step's summary. */
export const stepSummaryLimit = 1024 * 1024

const currentSize = (file: string): number => {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Appends `markdown` to `file`, truncated to fit; returns notes (truncation, write failure). */
export const appendStepSummary = (
  file: string,
  markdown: string,
  limit = stepSummaryLimit,
): Effect.Effect<ReadonlyArray<string>> =>
  Effect.sync(() => {
    const room = limit - currentSize(file) - 1
    const note = "_Truncated: the rest did not fit in GitHub's 1 MiB job summary limit; see the run log._"
    if (room < 200) return ["github: the job summary was not written: it is already at GitHub's 1 MiB limit"]
    const whole = `${markdown}\n`
    const text = truncateUtf8(whole, room, note)
    try {
      appendFileSync(file, text, "utf8")
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      return [`github: the job summary was not written: ${why}`]
    }
    return text !== whole ? ["github: the job summary was truncated to fit GitHub's 1 MiB limit"] : []
  })
