/**
 * The pipeline plugin (wave `addons`: after the app exists, before a release promotes within the
 * pipeline): creates the pipeline when missing and couples the app to its stage, moving it when the
 * stage or pipeline changes. It never deletes a pipeline or uncouples an app it does not declare.
 * Observation: the app's coupling and the pipeline by name.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyPipeline } from "./apply.ts"
import { diffPipeline, type PipelineChange, type PipelineLive } from "./diff.ts"
import { observePipeline } from "./observe.ts"
import { type PipelineSpec, pipelineSection } from "./spec.ts"

/** The app's pipeline and stage. */
export const pipelinePlugin = definePlugin<PipelineSpec, PipelineLive, PipelineChange, HerokuApi>({
  name: "pipeline",
  section: pipelineSection,
  wave: "addons",
  observe: observePipeline,
  diff: (desired, live) => diffPipeline(desired, live),
  apply: (change) => applyPipeline(change),
})
