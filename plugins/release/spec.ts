/** The `release` section: what to deploy (a source tree and its built frontend) or whom to promote from. */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

/** `auto` (build, then use what was built) or a pinned `sha256:<hex>` the build must match. */
export const FrontendDigest = Schema.Union(
  Schema.Literal("auto"),
  Schema.String.pipe(
    Schema.pattern(/^sha256:[0-9a-f]{64}$/, { message: () => 'expected "auto" or "sha256:<64 hex digits>"' }),
  ),
)

export const ReleaseSpec = Schema.Struct({
  source: Schema.Struct({
    dir: Schema.String.annotations({
      description: "root of the source tree, relative to the working directory",
    }),
    include: Schema.Array(Schema.String).annotations({
      description: "files and folders (relative to dir) packed into the source tarball",
    }),
  }),
  frontend: Schema.optional(
    Schema.Struct({
      dir: Schema.String.annotations({ description: "the frontend build output, relative to source.dir" }),
      build: Schema.optional(Schema.String).annotations({
        description: "shell command run in source.dir before packing (e.g. npm run build:web)",
      }),
      digest: FrontendDigest,
    }),
  ),
  promoteFrom: Schema.optional(Schema.String).annotations({
    description: "pipeline stage (e.g. staging) whose current slug is promoted instead of building",
  }),
  onFailure: Schema.optional(Schema.Literal("rollback", "keep")).annotations({
    description:
      "keep (default): a failed release phase or health check leaves things as they are; rollback: roll code and config back to the release current when the run started, verify its health, exit 1",
  }),
})
export type ReleaseSpec = typeof ReleaseSpec.Type

export const releaseSection = section(
  "release",
  ReleaseSpec,
  "the code to release: a source tarball built on Heroku, or a promotion from another pipeline stage",
)
