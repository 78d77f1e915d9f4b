/**
 * The pipeline plugin's pure part: one step, `pipeline/<name>`, that creates the pipeline when it is
 * missing and couples the app to its stage, or moves the app (another stage or another pipeline).
 */
import type { PlannedChange } from "../../engine/index.ts"
import type { PipelineSpec } from "./spec.ts"

export interface PipelineLive {
  readonly app: string
  /** Whether the declared pipeline exists. */
  readonly pipelineExists: boolean
  /** The app's coupling, if any: the pipeline it is in (by name) and its stage. */
  readonly coupling: { readonly pipeline: string; readonly stage: string } | null
}

export interface PipelineChange {
  readonly app: string
  readonly pipeline: string
  readonly stage: PipelineSpec["stage"]
}

/** Pure: nothing when the app is coupled as declared, else one step that makes it so. */
export const diffPipeline = (
  desired: PipelineSpec,
  live: PipelineLive,
): ReadonlyArray<PlannedChange<PipelineChange>> => {
  const have = live.coupling
  if (have !== null && have.pipeline === desired.name && have.stage === desired.stage) return []
  const change = { app: live.app, pipeline: desired.name, stage: desired.stage }
  const after = { pipeline: desired.name, stage: desired.stage }
  if (have === null)
    return [
      {
        key: desired.name,
        action: "create",
        after,
        reason: live.pipelineExists
          ? `${live.app} is not in a pipeline`
          : `the pipeline does not exist; ${live.app} is coupled to it once created`,
        change,
      },
    ]
  return [
    {
      key: desired.name,
      action: "update",
      before: { pipeline: have.pipeline, stage: have.stage },
      after,
      reason:
        have.pipeline === desired.name
          ? `${live.app} moves from stage ${have.stage} to ${desired.stage}`
          : `${live.app} moves from pipeline ${have.pipeline} to ${desired.name}`,
      change,
    },
  ]
}
