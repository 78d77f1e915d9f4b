import { describe, expect, it } from "vitest"
import { asOne, committed, framing, oneByOne, ownTransactionReason, pendingWrites } from "./commits.ts"
import { createLedgerSqlIn, ledgerColumns } from "./ledger.ts"

describe("which migrations need a transaction of their own", () => {
  it("plain DDL and DML share the wave's transaction", () => {
    expect(ownTransactionReason('CREATE TABLE "a" (id int);\nINSERT INTO "a" VALUES (1);')).toBeUndefined()
    // words in comments do not count; a function body's BEGIN/END is not transaction control
    expect(ownTransactionReason("-- SET LOCAL search_path TO x\nCREATE TABLE b (id int);")).toBeUndefined()
    expect(
      ownTransactionReason("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;"),
    ).toBeUndefined()
  })

  it("a text naming none of the words is decided without splitting; a word in a comment is split and ignored", () => {
    expect(ownTransactionReason('CREATE TABLE "t" (id SERIAL PRIMARY KEY);')).toBeUndefined()
    expect(ownTransactionReason("/* COMMIT */ CREATE TABLE t (id int); -- BEGIN")).toBeUndefined()
    expect(ownTransactionReason("CREATE TABLE t (id int);\n/* note */ COMMIT;")).toBe("transaction control")
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

const ledger = '"public"."_prisma_migrations"'
const row = "('id', 'sum', clock_timestamp(), 'm', NULL, NULL, now(), 1)"

describe("framing", () => {
  it("one by one: each migration begins, writes its row and commits; only the wave's last waits for the flush", () => {
    expect(framing(oneByOne(), false, ledger, row)).toEqual({
      head: "BEGIN;\nSET LOCAL synchronous_commit = off;\n",
      tail: `INSERT INTO ${ledger} ${ledgerColumns}\n  VALUES ${row};\nCOMMIT`,
    })
    expect(framing(oneByOne(), true, ledger, "")).toEqual({ head: "BEGIN;\n", tail: "COMMIT" })
  })

  it("together: a savepoint per migration, rows kept back; the last creates the ledger, writes every row and commits durably", () => {
    const wave = asOne()
    const first = framing(wave, false, ledger, row)
    expect(first.head).toBe("BEGIN;\nSET LOCAL synchronous_commit = off;\nSAVEPOINT reconcile_migration;\n")
    expect(first.tail).toBe("RELEASE SAVEPOINT reconcile_migration")
    wave.open = true
    wave.rows.push("('a')", "('b')")
    const next = framing(wave, false, ledger, row)
    expect(next.head).toBe("SAVEPOINT reconcile_migration;\n")
    const closing = framing(wave, true, ledger, "('c')")
    expect(closing.tail).toBe(
      `RELEASE SAVEPOINT reconcile_migration;\n${createLedgerSqlIn(ledger)};\n` +
        `INSERT INTO ${ledger} ${ledgerColumns}\n  VALUES ('a'),\n    ('b'),\n    ('c');\n` +
        "SET LOCAL synchronous_commit = on;\nCOMMIT",
    )
    // framing only says what to send: the rows are dropped once the commit succeeded
    expect(wave.rows).toHaveLength(2)
    committed(wave)
    expect(wave).toEqual({ together: true, open: false, ledgerPending: false, rows: [] })
    expect(pendingWrites(wave, ledger)).toBe("")
  })
})
