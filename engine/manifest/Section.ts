/**
 * A manifest section: the key a plugin owns under `spec` and the schema of its value. The manifest
 * schema is composed from these, so no plugin's schema is copied into the engine.
 */
import * as Schema from "effect/Schema"
import type { SecretEnv } from "./SecretEnv.ts"

export interface ManifestSection {
  readonly key: string
  readonly schema: Schema.Schema<unknown, unknown, SecretEnv>
  readonly description?: string
}

/** Declares the section `spec.<key>`; `description` is shown by editors through the JSON Schema. */
export const section = <A, I>(
  key: string,
  schema: Schema.Schema<A, I, SecretEnv> | Schema.Schema<A, I, never>,
  description?: string,
): ManifestSection => {
  const ast = description === undefined ? schema.ast : schema.annotations({ description }).ast
  return {
    key,
    schema: Schema.make<unknown, unknown, SecretEnv>(ast),
    ...(description === undefined ? {} : { description }),
  }
}
