import { describe, expect, it } from "vitest"
import { firstBackupAfter } from "./rollbackBackups.ts"

const t = (
  num: number,
  created_at: string,
  extra: Partial<{ succeeded: boolean; bytes: number; to: string }> = {},
) => ({
  num,
  created_at,
  succeeded: extra.succeeded ?? true,
  processed_bytes: extra.bytes ?? 100,
  to_type: extra.to ?? "gof3r",
  from_name: "DATABASE",
})

describe("the backup a rollback points at", () => {
  it("is the first verified backup taken after the release rolled back to", () => {
    const transfers = [
      t(1, "2026-11-01T10:00:00Z"),
      t(2, "2026-11-02T10:00:00Z", { succeeded: false }),
      t(3, "2026-11-02T11:00:00Z", { bytes: 0 }),
      t(4, "2026-11-02T12:00:00Z", { to: "pg_restore" }),
      t(5, "2026-11-03T10:00:00Z"),
      t(6, "2026-11-04T10:00:00Z"),
    ]
    expect(firstBackupAfter(transfers, "2026-11-02T09:00:00Z")?.num).toBe(5)
    expect(firstBackupAfter(transfers, "2026-11-05T00:00:00Z")).toBeUndefined()
  })
})
