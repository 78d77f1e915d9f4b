/** The clock behind scheduled backups: every minute, take the daily backups that are due. */
import type { SimContext } from "../context.ts"
import { runDueSchedules } from "./schedules.ts"
import { renderTransfer } from "./transfers.ts"

const checkEveryMs = 60_000
const longestBackupMs = 5 * 60_000

export const startBackupSchedules = (ctx: SimContext, onError: (e: unknown) => void) => {
  const timer = setInterval(() => {
    try {
      runDueSchedules(ctx)
    } catch (e) {
      onError(e)
    }
  }, checkEveryMs).unref()
  return {
    /** Takes the backups due at `at` now; resolves with their names once they have finished. */
    runSchedules: async (at?: Date): Promise<string[]> => {
      const started = runDueSchedules(ctx, at)
      const deadline = Date.now() + longestBackupMs
      while (started.some((t) => t.finishedAt === null) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      return started.map((t) => renderTransfer(ctx, t).name)
    },
    stop: () => clearInterval(timer),
  }
}
