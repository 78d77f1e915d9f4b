/**
 * The `config` section: declared config vars (plain or `{ fromEnv }` secrets), keys that must exist
 * before anything deploys, and whether undeclared vars are pruned. Vars set by add-ons are never
 * declared here (see `configProblems`).
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { StringOrSecret, section } from "../../engine/manifestSpec.ts"

/** A config var name as Heroku accepts it. */
export const VarName = Schema.String.pipe(
  Schema.pattern(/^\w+$/, { message: () => "expected a config var name (letters, digits and _)" }),
)

/**
 * Heroku's limits, checked before anything is sent: 32 KiB per value (UTF-8 bytes) and 64 KiB for all
 * declared keys and values together (Heroku's limit for an app's whole config; vars set elsewhere
 * count too, so this is a floor of the real total).
 */
export const MAX_VALUE_BYTES = 32 * 1024
export const MAX_TOTAL_BYTES = 64 * 1024

const bytesOf = (v: string | Redacted.Redacted<string>) =>
  Buffer.byteLength(Redacted.isRedacted(v) ? Redacted.value(v) : v)

/** Problems with declared vars; messages give sizes, never a value (it may be a secret). */
const varsProblems = (vars: Readonly<Record<string, string | Redacted.Redacted<string>>>) => {
  const problems: Array<{ path: [string]; message: string }> = []
  let total = 0
  for (const [k, v] of Object.entries(vars)) {
    if (!/^\w+$/.test(k))
      problems.push({ path: [k], message: "expected a config var name (letters, digits and _)" })
    const size = bytesOf(v)
    total += Buffer.byteLength(k) + size
    if (size > MAX_VALUE_BYTES) {
      problems.push({
        path: [k],
        message: `the value is ${size} bytes; Heroku accepts at most ${MAX_VALUE_BYTES} bytes per config var`,
      })
    }
  }
  const last = Object.keys(vars).at(-1)
  if (total > MAX_TOTAL_BYTES && last !== undefined && problems.length === 0) {
    problems.push({
      path: [last],
      message: `the declared config vars total ${total} bytes; Heroku accepts at most ${MAX_TOTAL_BYTES} bytes per app`,
    })
  }
  return problems
}

/** Keys are checked by a filter (not the key schema) so a bad name says why, not "unknown key". */
const Vars = Schema.Record({ key: Schema.String, value: StringOrSecret }).pipe(Schema.filter(varsProblems))

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
