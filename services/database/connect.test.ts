/** Connection settings and failures: TLS only off loopback, and errors name the host, never the password. */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { clientConfig, connect, dbTimeoutsOf } from "./connect.ts"
import { holderName, lockKey } from "./lock.ts"

describe("database connections", () => {
  it("uses TLS without verification for remote hosts and none on loopback", () => {
    expect(clientConfig(Redacted.make("postgres://u:p@db.example.com:5432/d?sslmode=require")).ssl).toEqual({
      rejectUnauthorized: false,
    })
    expect(clientConfig(Redacted.make("postgres://u:p@127.0.0.1:5432/d")).ssl).toBe(false)
  })

  it("fails with one clear error naming the host and never the password", async () => {
    const error = await Effect.runPromise(
      Effect.scoped(
        connect(Redacted.make("postgres://user:s3cret-pw@127.0.0.1:1/app"), dbTimeoutsOf({})),
      ).pipe(Effect.flip),
    )
    expect(error.message).toContain("cannot connect to Postgres at 127.0.0.1:1/app")
    expect(error.message).not.toContain("s3cret-pw")
    expect(error.reason).toBe("Unavailable")
  })

  it("derives its own lock key per environment (not Prisma's) and a short holder name", () => {
    expect(lockKey("apply", "production")).not.toBe("72707369")
    expect(lockKey("apply", "production")).not.toBe(lockKey("apply", "staging"))
    const name = holderName("production", new Date("2025-01-01T10:02:03Z"))
    expect(name).toMatch(/^reconcile apply production pid \d+ on .+ since 10:02:03Z$/)
    expect(name.length).toBeLessThanOrEqual(63)
  })
})
