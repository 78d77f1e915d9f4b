import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readSavedPlan } from "./savedPlan.ts"

describe("saved plan format", () => {
  it.effect("a plan of format 1 is refused with a message saying to plan again", () =>
    Effect.gen(function* () {
      const file = join(mkdtempSync(join(tmpdir(), "reconcile-saved-")), "plan.json")
      const v1 = {
        kind: "saved-plan",
        formatVersion: 1,
        manifests: "m",
        env: "production",
        plan: { formatVersion: 1 },
      }
      writeFileSync(file, JSON.stringify(v1))
      const error = yield* Effect.flip(readSavedPlan(file))
      expect(error._tag).toBe("UsageError")
      expect(error.message).toContain("format 1")
      expect(error.message).toContain("make a new plan")
    }),
  )
})
