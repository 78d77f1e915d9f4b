/** JSON Schema (draft-07) of the manifest as written in YAML, for editors (yaml-language-server). */
import * as JSONSchema from "effect/JSONSchema"
import type { ManifestSection } from "./Section.ts"
import { manifestSchema } from "./schema.ts"

/**
 * Deterministic for a given set of sections (they are sorted by key). `JSONSchema.make` describes a
 * transformation by its encoded side, so a secret is `{ fromEnv: string }`, as written in YAML.
 */
export const manifestJsonSchema = (sections: ReadonlyArray<ManifestSection>): object =>
  JSONSchema.make(manifestSchema(sections))
