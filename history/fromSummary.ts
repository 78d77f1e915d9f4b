/** An apply's summary as a run to record. */
import * as Schema from "effect/Schema"
import { Summary } from "../engine/apply/Summary.ts"
import type { FinishedRun } from "./record.ts"

export const runOfSummary = (summary: Summary, kind: "apply" | "rollback" = "apply"): FinishedRun => {
  const startedAt = new Date(summary.startedAt)
  const release = summary.outputs.release
  return {
    kind,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + summary.durationMs),
    outcome: summary.ok ? "succeeded" : "failed",
    manifestDigest: summary.plan.manifest.digest,
    ...(release === undefined ? {} : { release }),
    backup: summary.outputs.backup ?? null,
    summary: Schema.encodeSync(Summary)(summary),
  }
}
