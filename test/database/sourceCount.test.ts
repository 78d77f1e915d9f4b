/**
 * A promotion source whose count query fails (the source table went away between opening and
 * counting) fails as a PluginError the executor can report, not as an "internal error" defect.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import { databaseSource } from "../../plugins/reference-data/source.ts"
import { createDatabase, dropDatabase, sql } from "./support.ts"

const dbs: Array<string> = []
afterAll(async () => {
  for (const name of dbs) await dropDatabase(name)
})

describe("reference-data source count", () => {
  it("a failed count query is a PluginError, not a defect", async () => {
    const db = await createDatabase("rdcount")
    dbs.push(db.name)
    await sql(db.url, "CREATE TABLE colors (id int PRIMARY KEY, name text)")
    const client = new pg.Client({ connectionString: Redacted.value(Redacted.make(db.url)) })
    await client.connect()
    try {
      const exit = await Effect.runPromiseExit(
        Effect.gen(function* () {
          const source = yield* databaseSource(client, {
            table: "colors",
            file: "colors.csv",
            primaryKey: ["id"],
          })
          yield* Effect.promise(() => client.query("DROP TABLE colors"))
          return yield* source.count
        }),
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(Cause.isDie(exit.cause)).toBe(false)
        const failure = Cause.failureOption(exit.cause)
        expect(failure._tag).toBe("Some")
        if (failure._tag === "Some") {
          expect(failure.value._tag).toBe("PluginError")
          expect(failure.value.message).toMatch(/colors/)
        }
      }
    } finally {
      await client.end()
    }
  })
})
