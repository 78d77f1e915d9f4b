/** The Platform API payloads the release plugins read (only the fields used). */
import * as Schema from "effect/Schema"

const Ref = Schema.Struct({ id: Schema.String })

export const Release = Schema.Struct({
  id: Schema.String,
  version: Schema.Number,
  status: Schema.String,
  description: Schema.String,
  current: Schema.optional(Schema.Boolean),
  eligible_for_rollback: Schema.optional(Schema.Boolean),
  slug: Schema.NullOr(Ref),
  output_stream_url: Schema.optional(Schema.NullOr(Schema.String)),
  created_at: Schema.String,
})
export type Release = typeof Release.Type

export const Build = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  source_blob: Schema.Struct({
    checksum: Schema.optional(Schema.NullOr(Schema.String)),
    version: Schema.optional(Schema.NullOr(Schema.String)),
  }),
  output_stream_url: Schema.optional(Schema.NullOr(Schema.String)),
  release: Schema.NullOr(Ref),
  slug: Schema.NullOr(Ref),
})
export type Build = typeof Build.Type

export const AppWeb = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  web_url: Schema.optional(Schema.NullOr(Schema.String)),
})

export const Source = Schema.Struct({
  source_blob: Schema.Struct({ get_url: Schema.String, put_url: Schema.String }),
})

export const Coupling = Schema.Struct({
  id: Schema.String,
  stage: Schema.String,
  app: Ref,
  pipeline: Ref,
})

export const Promotion = Schema.Struct({ id: Schema.String, status: Schema.String })

export const PromotionTarget = Schema.Struct({
  app: Ref,
  status: Schema.String,
  release: Schema.NullOr(Ref),
  error_message: Schema.optional(Schema.NullOr(Schema.String)),
})
