/**
 * Pid files for dynos, one per process in `<dataDir>/dynos`, so that dynos left running by a
 * simulator that was killed (SIGKILL, a crash) are found and stopped by the next one. A file names
 * the pid and the process's start time, so a pid reused by an unrelated process is never signalled.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** The kernel's start time of `pid` (clock ticks since boot), or null when it is gone. */
const startTime = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null
  } catch {
    return null
  }
}

export interface PidFiles {
  readonly record: (pid: number, app: string, dyno: string) => void
  readonly forget: (pid: number) => void
}

const none: PidFiles = { record: () => {}, forget: () => {} }

/** Pid files in `dir` (none without one). */
export const pidFiles = (dir: string | undefined): PidFiles => {
  if (dir === undefined) return none
  return {
    record: (pid, app, dyno) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeFileSync(join(dir, `${pid}.json`), JSON.stringify({ pid, app, dyno, start: startTime(pid) }), {
        mode: 0o600,
      })
    },
    forget: (pid) => rmSync(join(dir, `${pid}.json`), { force: true }),
  }
}

/** Stops the process groups of dynos a previous run left behind; returns what it stopped. */
export const reapOrphans = async (dir: string | undefined): Promise<ReadonlyArray<string>> => {
  if (dir === undefined || !existsSync(dir)) return []
  const stopped: string[] = []
  const groups: number[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    try {
      const entry = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        pid: number
        app: string
        dyno: string
        start: string | null
      }
      if (entry.start !== null && startTime(entry.pid) === entry.start) {
        process.kill(-entry.pid, "SIGTERM")
        groups.push(entry.pid)
        stopped.push(`${entry.app} ${entry.dyno} (pid ${entry.pid})`)
      }
    } catch {
      // unreadable or already gone
    }
    rmSync(join(dir, file), { force: true })
  }
  if (groups.length > 0) {
    await new Promise((r) => setTimeout(r, 1000))
    for (const pid of groups) {
      try {
        process.kill(-pid, "SIGKILL")
      } catch {
        // stopped on SIGTERM
      }
    }
  }
  return stopped
}
