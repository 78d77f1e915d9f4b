/** The `pipeline` section: the pipeline the app belongs to and its stage there. */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

/** The stages Heroku pipelines have. */
export const stages = ["test", "review", "development", "staging", "production"] as const

export const PipelineSpec = Schema.Struct({
  name: Schema.String.pipe(
    Schema.pattern(/^[a-z][a-z0-9-]{2,29}$/, {
      message: () =>
        "expected a pipeline name (lowercase letters, digits and dashes, starting with a letter)",
    }),
  ).annotations({ description: "the pipeline; created when missing, never deleted" }),
  stage: Schema.Literal(...stages).annotations({
    description: "the app's stage in the pipeline; a change moves the app",
    message: () => `expected a pipeline stage: ${stages.join(", ")}`,
  }),
})
export type PipelineSpec = typeof PipelineSpec.Type

export const pipelineSection = section(
  "pipeline",
  PipelineSpec,
  "the pipeline the app is coupled to, and its stage (release.promoteFrom promotes within it)",
)
