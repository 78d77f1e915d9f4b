import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { FromEnv, SecretEnv, StringOrSecret, secretEnvFromProcess, secretEnvFromRecord } from "./index.ts"

const withEnv = secretEnvFromRecord({ TOKEN: "s3cr3t-token", EMPTY: "" })
const decode = (input: unknown) =>
  Schema.decodeUnknown(StringOrSecret)(input).pipe(
    Effect.mapError((e) => ParseResult.TreeFormatter.formatErrorSync(e)),
    Effect.either,
    Effect.provide(withEnv),
  )

describe("FromEnv / StringOrSecret", () => {
  it.effect("a reference decodes to the redacted value of the variable", () =>
    Effect.gen(function* () {
      const secret = yield* Schema.decodeUnknown(FromEnv)({ fromEnv: "TOKEN" }).pipe(Effect.provide(withEnv))
      expect(Redacted.value(secret)).toBe("s3cr3t-token")
      expect(String(secret)).not.toContain("s3cr3t")
    }),
  )

  it.effect("plain strings, numbers and booleans decode to strings", () =>
    Effect.gen(function* () {
      expect(yield* decode("x")).toEqual(Either.right("x"))
      expect(yield* decode(5000)).toEqual(Either.right("5000"))
      expect(yield* decode(true)).toEqual(Either.right("true"))
    }),
  )

  it.effect("an unset or empty variable fails, naming the variable only", () =>
    Effect.gen(function* () {
      const unset = yield* decode({ fromEnv: "NOPE" })
      expect(Either.isLeft(unset) && unset.left).toContain("environment variable NOPE is not set")
      const empty = yield* decode({ fromEnv: "EMPTY" })
      expect(Either.isLeft(empty) && empty.left).toContain("environment variable EMPTY is empty")
    }),
  )

  it.effect("a variable name must look like one", () =>
    Effect.gen(function* () {
      const bad = yield* decode({ fromEnv: "1-bad" })
      expect(Either.isLeft(bad)).toBe(true)
    }),
  )

  it.effect("a secret cannot be encoded back (the reference is not kept)", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(Schema.encode(FromEnv)(Redacted.make("x"))).pipe(
        Effect.provide(withEnv),
      )
      expect(Either.isLeft(result)).toBe(true)
    }),
  )

  it.effect("secretEnvFromProcess reads process.env", () =>
    Effect.gen(function* () {
      process.env.RECONCILE_MANIFEST_TEST_VAR = "from-process"
      const env = yield* SecretEnv
      expect(env.get("RECONCILE_MANIFEST_TEST_VAR")).toBe("from-process")
      delete process.env.RECONCILE_MANIFEST_TEST_VAR
    }).pipe(Effect.provide(secretEnvFromProcess)),
  )
})
