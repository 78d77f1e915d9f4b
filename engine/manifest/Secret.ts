/**
 * Secret-capable values. A secret is written `{ fromEnv: NAME }` and decodes to a `Redacted` string read
 * from `SecretEnv`; a failure names the variable, never a value. Secrets cannot be encoded back (the
 * decoded side does not remember the name), so encoding one is a `Forbidden` issue.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { SecretEnv } from "./SecretEnv.ts"

/** Annotation read by the problem formatter: how to say what a value should have been. */
export const ExpectedAnnotationId: unique symbol = Symbol.for("reconcile/manifest/expected")

/** An environment variable name. */
export const EnvVarName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    message: () => "expected an environment variable name (letters, digits and _, not starting with a digit)",
  }),
)

const SecretRef = Schema.Struct({ fromEnv: EnvVarName })

/** `{ fromEnv: NAME }` → the variable's value, redacted. An unset or empty variable is a parse failure. */
export const FromEnv: Schema.Schema<
  Redacted.Redacted<string>,
  { readonly fromEnv: string },
  SecretEnv
> = Schema.transformOrFail(SecretRef, Schema.RedactedFromSelf(Schema.String), {
  strict: true,
  decode: (ref, _options, ast) =>
    Effect.flatMap(SecretEnv, (env) => {
      const value = env.get(ref.fromEnv)
      if (value === undefined) {
        return ParseResult.fail(
          new ParseResult.Type(ast, ref, `environment variable ${ref.fromEnv} is not set`),
        )
      }
      if (value === "") {
        return ParseResult.fail(
          new ParseResult.Type(ast, ref, `environment variable ${ref.fromEnv} is empty`),
        )
      }
      return ParseResult.succeed(Redacted.make(value))
    }),
  encode: (secret, _options, ast) =>
    ParseResult.fail(
      new ParseResult.Forbidden(ast, secret, "a secret value cannot be encoded back to its reference"),
    ),
}).annotations({
  description: "A secret read from the environment variable named by fromEnv",
  [ExpectedAnnotationId]: "{ fromEnv: NAME }",
})

const NumberAsString = Schema.transform(Schema.Number, Schema.String, {
  strict: true,
  decode: (n) => String(n),
  encode: (s) => Number(s),
})

const BooleanAsString = Schema.transform(Schema.Boolean, Schema.String, {
  strict: true,
  decode: (b) => String(b),
  encode: (s) => s === "true",
})

/** The encoded form of a string-or-secret: YAML scalars (numbers and booleans become strings) or a ref. */
export type StringOrSecretEncoded = string | number | boolean | { readonly fromEnv: string }

/** A plain value (string, or a number/boolean turned into a string) or a `{ fromEnv: NAME }` secret. */
export const StringOrSecret: Schema.Schema<
  string | Redacted.Redacted<string>,
  StringOrSecretEncoded,
  SecretEnv
> = Schema.Union(Schema.String, NumberAsString, BooleanAsString, FromEnv).annotations({
  [ExpectedAnnotationId]: "a string or { fromEnv: NAME }",
})
