import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import {
  carriesCredentials,
  isKnownPlain,
  looksSecretName,
  redactedValuesIn,
  scrubSecrets,
} from "./secrets.ts"

describe("secret names and values", () => {
  it("flags common secret names and add-on connection URLs, not ordinary ones", () => {
    for (const n of [
      "JWT_SECRET",
      "API_TOKEN",
      "DB_PASSWORD",
      "STRIPE_KEY",
      "AWS_ACCESS_KEY_ID",
      "DATABASE_URL",
    ])
      expect(looksSecretName(n), n).toBe(true)
    for (const n of ["REDIS_URL", "HEROKU_POSTGRESQL_AMBER_URL", "SENTRY_DSN", "SESSION_SECRET_KEYS"])
      expect(looksSecretName(n), n).toBe(true)
    for (const n of [
      "NODE_ENV",
      "LOG_LEVEL",
      "PORT",
      "WEB_CONCURRENCY",
      "MONKEY",
      "PWD",
      "HOME",
      "SESSION_TTL",
    ])
      expect(looksSecretName(n), n).toBe(false)
  })

  it("flags values carrying credentials", () => {
    expect(carriesCredentials("postgres://u:p@host/db")).toBe(true)
    expect(carriesCredentials("https://hooks.example.com/x?token=abc")).toBe(true)
    expect(carriesCredentials("https://example.com/health")).toBe(false)
    expect(isKnownPlain("LOG_LEVEL", "info")).toBe(true)
    expect(isKnownPlain("APP_URL", "https://a:b@example.com")).toBe(false)
  })

  it("finds redacted values in a spec and scrubs them, longest first", () => {
    const spec = {
      config: { vars: { A: Redacted.make("s3cret-value"), B: "plain" } },
      x: [Redacted.make("s3cret")],
    }
    expect(redactedValuesIn(spec)).toEqual(["s3cret-value", "s3cret"])
    expect(scrubSecrets("a s3cret-value and s3cret; db postgres://me:pw@h/db", redactedValuesIn(spec))).toBe(
      "a *** and ***; db postgres://me:***@h/db",
    )
    // too short to scrub without mangling output
    expect(scrubSecrets("1 2 3", ["1"])).toBe("1 2 3")
  })
})
