import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type LoadedManifest, listEnvironments, loadManifest, secretEnvFromRecord } from "./index.ts"
import { fixtures, testSections } from "./testing.ts"

const env = secretEnvFromRecord({ JWT_SECRET: "jwt-value" })
const load = (dir: string, name: string) =>
  loadManifest({ dir: `${fixtures}/${dir}`, env: name, sections: testSections }).pipe(Effect.provide(env))

const fakeOf = (m: LoadedManifest) =>
  m.spec.fake as { readonly vars: Record<string, unknown> } & Record<string, unknown>

describe("loadManifest", () => {
  it.effect("loads an environment, deep-merging its base: maps merge, lists replace", () =>
    Effect.gen(function* () {
      const m = yield* load("valid", "production")
      expect(m.env).toBe("production")
      expect(m.name).toBe("production")
      expect(m.file).toBe("test/fixtures/manifests/valid/production.yaml")
      expect(m.files).toEqual([
        "test/fixtures/manifests/valid/production.yaml",
        "test/fixtures/manifests/valid/base.yaml",
      ])
      const { vars, ...rest } = fakeOf(m)
      expect(rest).toEqual({ tags: ["prod"], prune: false, quantity: 2 })
      expect(Object.keys(vars).sort()).toEqual(["JWT_SECRET", "LOG_LEVEL", "NODE_ENV", "PORT"])
      expect(vars.NODE_ENV).toBe("production")
      expect(vars.LOG_LEVEL).toBe("info")
      expect(vars.PORT).toBe("5000")
      expect(Redacted.isRedacted(vars.JWT_SECRET)).toBe(true)
      expect(Redacted.value(vars.JWT_SECRET as Redacted.Redacted<string>)).toBe("jwt-value")
      expect(Object.keys(m.spec)).toEqual(["fake"])
    }),
  )

  it.effect("every spec section is optional", () =>
    Effect.gen(function* () {
      const m = yield* load("valid", "staging")
      expect(m.spec).toEqual({})
      expect(m.files).toEqual(["test/fixtures/manifests/valid/staging.yaml"])
    }),
  )

  it.effect("the digest is a stable sha256 of the raw document and holds secret names, not values", () =>
    Effect.gen(function* () {
      const a = yield* load("valid", "production")
      const b = yield* loadManifest({
        dir: `${fixtures}/valid`,
        env: "production",
        sections: testSections,
      }).pipe(Effect.provide(secretEnvFromRecord({ JWT_SECRET: "another-value" })))
      expect(a.digest).toMatch(/^[0-9a-f]{64}$/)
      expect(b.digest).toBe(a.digest)
      const staging = yield* load("valid", "staging")
      expect(staging.digest).not.toBe(a.digest)
    }),
  )

  it.effect("a missing env file lists the available environments", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(load("valid", "qa"))
      expect(error.message).toBe(
        'test/fixtures/manifests/valid/qa.yaml:1:1: no manifest for environment "qa" (available: base, production, staging)',
      )
      // a near miss names the closest one
      const typo = yield* Effect.flip(load("valid", "prod"))
      expect(typo.message).toContain(
        'no manifest for environment "prod" (did you mean "production"? available:',
      )
    }),
  )

  it.effect("an environment name cannot leave the manifests folder", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(load("valid", "../errors/many"))
      expect(error.problems).toHaveLength(1)
      expect(error.message).toContain('invalid environment name "../errors/many"')
    }),
  )
})

describe("listEnvironments", () => {
  it.effect("lists *.yaml names, sorted", () =>
    Effect.gen(function* () {
      expect(yield* listEnvironments(`${fixtures}/valid`)).toEqual(["base", "production", "staging"])
    }),
  )

  it.effect("a missing folder is a ManifestError with a clear message", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(listEnvironments(`${fixtures}/nope`))
      expect(error._tag).toBe("ManifestError")
      expect(error.message).toBe(
        "test/fixtures/manifests/nope:1:1: manifests folder test/fixtures/manifests/nope does not exist (use --manifests DIR)",
      )
    }),
  )
})
