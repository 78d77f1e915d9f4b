/**
 * The manifest schema, composed from the sections plugins contribute: a fixed envelope (`apiVersion`,
 * `kind`, `metadata`) and a `spec` whose keys are the sections, all optional.
 */
import * as Schema from "effect/Schema"
import type { ManifestSection } from "./Section.ts"

export const API_VERSION = "reconcile/v1"
export const KIND = "Release"

const Metadata = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1, { message: () => "expected a non-empty name" })).annotations({
    description: "The environment's name, shown in plans and summaries",
  }),
  extends: Schema.optional(
    Schema.String.annotations({
      description: "A base manifest in the same folder; maps merge, lists replace",
    }),
  ),
})

/** Sections sorted by key; two sections with one key are a programming error (a defect). */
export const sortedSections = (sections: ReadonlyArray<ManifestSection>): ReadonlyArray<ManifestSection> => {
  const sorted = [...sections].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  sorted.forEach((s, i) => {
    if (i > 0 && sorted[i - 1]?.key === s.key)
      throw new Error(`manifest section "${s.key}" is declared twice`)
  })
  return sorted
}

/** The full manifest schema for the given sections. */
export const manifestSchema = (sections: ReadonlyArray<ManifestSection>) => {
  const fields = Object.fromEntries(sortedSections(sections).map((s) => [s.key, Schema.optional(s.schema)]))
  return Schema.Struct({
    apiVersion: Schema.Literal(API_VERSION),
    kind: Schema.Literal(KIND),
    metadata: Metadata,
    spec: Schema.optional(
      Schema.Struct(fields).annotations({
        description: "The desired state; each section is owned by a plugin",
      }),
    ),
  }).annotations({
    title: "reconcile release manifest",
    description: "The desired state of one environment (a Heroku app and its Postgres database)",
  })
}
