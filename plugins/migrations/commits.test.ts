import { describe, expect, it } from "vitest"
import { framing, ownTransactionReason } from "./commits.ts"

describe("which migrations need a transaction of their own", () => {
  it("plain DDL and DML share the wave's transaction", () => {
    expect(ownTransactionReason('CREATE TABLE "a" (id int);\nINSERT INTO "a" VALUES (1);')).toBeUndefined()
    // words in comments do not count; a function body's BEGIN/END is not transaction control
    expect(ownTransactionReason("-- SET LOCAL search_path TO x\nCREATE TABLE b (id int);")).toBeUndefined()
    expect(
      ownTransactionReason("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;"),
    ).toBeUndefined()
  })

  it("names what ties a migration to its own transaction", () => {
    expect(ownTransactionReason("SET LOCAL lock_timeout = '5s';\nALTER TABLE a ADD c int;")).toMatch(/SET/)
    expect(ownTransactionReason("SET CONSTRAINTS ALL DEFERRED;")).toMatch(/SET/)
    expect(ownTransactionReason("SELECT set_config('search_path', 'x', true);")).toMatch(/set_config/)
    expect(ownTransactionReason("ALTER TABLE a ADD FOREIGN KEY (b) REFERENCES c DEFERRABLE;")).toMatch(
      /deferrable/,
    )
    expect(ownTransactionReason("CREATE TEMP TABLE t (id int) ON COMMIT DROP;")).toMatch(/ON COMMIT/)
    expect(ownTransactionReason("ALTER TYPE \"Role\" ADD VALUE 'OWNER';")).toMatch(/enum/)
    expect(ownTransactionReason("BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;")).toBe("transaction control")
  })
})

describe("framing", () => {
  it("one by one: each migration begins and commits; only the wave's last waits for the flush", () => {
    expect(framing({ together: false, open: false }, false)).toEqual({
      head: "BEGIN;\nSET LOCAL synchronous_commit = off;\n",
      tail: "COMMIT",
    })
    expect(framing({ together: false, open: false }, true)).toEqual({ head: "BEGIN;\n", tail: "COMMIT" })
  })

  it("together: a savepoint per migration; the last commits durably", () => {
    const open = framing({ together: true, open: true }, false)
    expect(open.head).toBe("SAVEPOINT reconcile_migration;\n")
    expect(open.tail).toBe("RELEASE SAVEPOINT reconcile_migration")
    const closing = framing({ together: true, open: false }, true)
    expect(closing.head).toMatch(/^BEGIN;\nSET LOCAL synchronous_commit = off;\nSAVEPOINT/)
    expect(closing.tail).toMatch(/synchronous_commit = on;\nCOMMIT$/)
  })
})
