/**
 * The `config` section: declared config vars (plain or `{ fromEnv }` secrets), keys that must exist
 * before anything deploys, and whether undeclared vars are pruned. Vars set by add-ons are never
 * declared here (see `configProblems`).
 */
import * as Schema from "effect/Schema"
import { StringOrSecret, section } from "../../engine/manifest/index.ts"

/** A config var name as Heroku accepts it. */
export const VarName = Schema.String.pipe(
  Schema.pattern(/^\w+$/, { message: () => "expected a config var name (letters, digits and _)" }),
)

/** Keys are checked by a filter (not the key schema) so a bad name says why, not "unknown key". */
const Vars = Schema.Record({ key: Schema.String, value: StringOrSecret }).pipe(
  Schema.filter((vars) =>
    Object.keys(vars)
      .filter((k) => !/^\w+$/.test(k))
      .map((k) => ({ path: [k], message: "expected a config var name (letters, digits and _)" })),
  ),
)

export const ConfigSpec = Schema.Struct({
  vars: Vars.annotations({
    description: "config vars; { fromEnv: NAME } reads a secret from the runner's environment",
  }),
  required: Schema.optional(Schema.Array(VarName)).annotations({
    description: "keys that must exist (e.g. DATABASE_URL) before anything deploys",
  }),
  prune: Schema.optional(Schema.Boolean).annotations({
    description: "delete undeclared vars (destructive); add-on vars and required keys are kept",
  }),
})
export type ConfigSpec = typeof ConfigSpec.Type

export const configSection = section("config", ConfigSpec, "the app's config vars")
