/**
 * One dyno process: a Procfile command run with `sh -c` in the slug directory, in its own process
 * group so that stopping it (SIGTERM, then SIGKILL after a grace period) also stops its children.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { realpathSync } from "node:fs"
import { connect } from "node:net"
import { constants } from "node:os"

export interface DynoProcess {
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  /** The last lines it printed (stdout and stderr). */
  readonly tail: () => string
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once it has exited. */
  readonly stop: (graceMs: number) => Promise<void>
}

const maxTail = 200

/** The OS user a dyno runs as (when the simulator runs as root). */
export interface DynoUser {
  readonly uid: number
  readonly gid: number
}

const realpathOr = (path: string): string => {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/** Starts `command` in `cwd` with exactly `env` (plus PATH, and HOME as the slug, as on Heroku). */
export const spawnDyno = (
  command: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
  user: DynoUser | null = null,
): DynoProcess => {
  // the slug's real path: its link from a private state folder is not for the dyno user to follow
  const dir = realpathOr(cwd)
  // a simple command replaces the shell, so this process (not init) reaps it
  const script = /[;&|()<>`$\n]/.test(command) ? command : `exec ${command}`
  const child = spawn("/bin/sh", ["-c", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, ...env },
    detached: true,
    ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
    stdio: ["ignore", "pipe", "pipe"],
  })
  const lines: string[] = []
  const collect = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString("utf8")
        .split(/\r?\n/)
        .filter((l) => l !== ""),
    )
    if (lines.length > maxTail) lines.splice(0, lines.length - maxTail)
  }
  child.stdout?.on("data", collect)
  child.stderr?.on("data", collect)
  const exited = new Promise<number | null>((ok) => {
    // killed by a signal: the shell's convention, 128 + its number (SIGTERM: 143), as Heroku shows
    child.once("close", (code, signal) =>
      ok(code ?? (signal === null ? null : 128 + constants.signals[signal])),
    )
    child.once("error", (e) => {
      lines.push(`failed to start: ${e.message}`)
      ok(127)
    })
  })
  let done = false
  void exited.then(() => {
    done = true
  })
  const signal = (sig: NodeJS.Signals) => {
    if (done || child.pid === undefined) return
    try {
      process.kill(-child.pid, sig)
    } catch {
      // already gone
    }
  }
  const stop = async (graceMs: number) => {
    signal("SIGTERM")
    const timer = setTimeout(() => signal("SIGKILL"), graceMs)
    await exited
    clearTimeout(timer)
    signal("SIGKILL") // stragglers left in the group
  }
  return { child, exited, tail: () => lines.join("\n"), stop }
}

/** Resolves true once something accepts connections on the port, false if `dyno` exits or time runs out. */
export const waitListening = async (port: number, dyno: DynoProcess, timeoutMs: number): Promise<boolean> => {
  let exited = false
  void dyno.exited.then(() => {
    exited = true
  })
  const deadline = Date.now() + timeoutMs
  while (!exited && Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1")
      socket.once("connect", () => {
        socket.destroy()
        resolve(true)
      })
      socket.once("error", () => resolve(false))
    })
    if (ok) return !exited
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}
