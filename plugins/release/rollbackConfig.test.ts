import { describe, expect, it } from "vitest"
import { configChanges, diffRollback, type RollbackLive } from "./rollback.ts"

describe("a rollback's config changes", () => {
  it("are listed by key, never by value", () => {
    const now = { KEEP: "same", CHANGED: "new-secret-canary", ADDED_SINCE: "x" }
    const then = { KEEP: "same", CHANGED: "old-secret-canary", GONE_SINCE: "y" }
    expect(configChanges(now, then)).toEqual([
      "ADDED_SINCE (removed)",
      "CHANGED (changed)",
      "GONE_SINCE (added back)",
    ])
    const live: RollbackLive = {
      kind: "rollback",
      app: "a",
      current: { version: 7, slugId: "s7" },
      target: { id: "r5", version: 5, slugId: "s5" },
      restoreCommand: null,
      configChanges: configChanges(now, then),
      made: null,
    }
    const shown = JSON.stringify(diffRollback(live))
    expect(shown).toContain("by key: ADDED_SINCE (removed), CHANGED (changed), GONE_SINCE (added back)")
    expect(shown).not.toContain("canary")
    expect(configChanges(then, then)).toEqual([])
  })
})
