/**
 * The Database service as plugins get it (`yield* Database` from the live layer): a session with the
 * policy's timeouts and the application name set, closed with its scope, and a failure that names the
 * host and never the password.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { query } from "../../services/database/connect.ts"
import { Database, layer } from "../../services/database/Database.ts"
import { createDatabase, dropDatabase, sql } from "./support.ts"

const timeouts = { lockTimeout: Duration.millis(1234), statementTimeout: Duration.seconds(7) }

describe("Database service", () => {
  it("opens a session with the policy's timeouts and name set, and closes it with the scope", async () => {
    const db = await createDatabase("dbsvc")
    try {
      const seen = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const c = yield* (yield* Database).connect(Redacted.make(db.url), timeouts, "reconcile svc-test")
            const r = yield* query<{ lt: string; st: string; app: string }>(
              c,
              "SELECT current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st, current_setting('application_name') AS app",
            )
            return r.rows[0]
          }),
        ).pipe(Effect.provide(layer)),
      )
      expect(seen).toEqual({ lt: "1234ms", st: "7s", app: "reconcile svc-test" })
      // the server notices the closed session within moments
      let open = 1
      for (let i = 0; i < 20 && open > 0; i++) {
        const rows = await sql<{ n: string }>(
          db.url,
          "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'reconcile svc-test'",
        )
        open = Number(rows[0]?.n)
        if (open > 0) await new Promise((r) => setTimeout(r, 100))
      }
      expect(open).toBe(0)
    } finally {
      await dropDatabase(db.name)
    }
  })

  it("fails with one error naming the host, never the password", async () => {
    const error = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(Database, (d) =>
          d.connect(Redacted.make("postgres://user:s3cret-pw@127.0.0.1:1/app"), timeouts),
        ),
      ).pipe(Effect.provide(layer), Effect.flip),
    )
    expect(error.message).toContain("cannot connect to Postgres at 127.0.0.1:1/app")
    expect(error.message).not.toContain("s3cret-pw")
  })
})
