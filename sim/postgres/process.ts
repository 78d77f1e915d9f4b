/**
 * The PostgreSQL processes themselves: `initdb` into a temporary folder renamed into place (so a
 * failed initialisation leaves nothing behind), the server started in its own process group and
 * watched (an unexpected exit is reported, never silent), a server left running by a killed run
 * stopped before a new one starts, and a port already taken named in one line.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { chown, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises"
import { basename, dirname, join } from "node:path"
import type { Ids } from "./access.ts"

const options = (ids: Ids | null) => ({
  ...(ids === null ? {} : { uid: ids.uid, gid: ids.gid }),
  env: { ...process.env, LC_MESSAGES: "C", LC_ALL: undefined, LANG: undefined },
})

const bestLocale = (): string => {
  try {
    const all = new Set(execFileSync("locale", ["-a"], { encoding: "utf8" }).split(/\r?\n/))
    for (const l of ["en_US.UTF-8", "en_US.utf8", "C.UTF-8", "C.utf8"]) if (all.has(l)) return l
  } catch {}
  return "C"
}

const run = (file: string, args: string[], ids: Ids | null): Promise<void> =>
  new Promise((ok, fail) => {
    const child = spawn(file, args, { ...options(ids), stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString()))
    child.stderr.on("data", (d: Buffer) => (out += d.toString()))
    child.on("error", (e) => fail(new Error(`could not run ${file}: ${e.message}`)))
    child.on("close", (code) =>
      code === 0
        ? ok()
        : fail(new Error(`initdb failed (exit ${code}): ${out.trim().split("\n").slice(-3).join(" ")}`)),
    )
  })

/** Initialises `dataDir` with a superuser; all or nothing. */
export const initialise = async (
  initdb: string,
  dataDir: string,
  user: string,
  password: string,
  ids: Ids | null,
): Promise<void> => {
  const parent = dirname(dataDir)
  const tmp = `${dataDir}.init-${process.pid}`
  // what an initialisation killed half-way left behind
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(entry.slice(`${basename(dataDir)}.init-`.length))
    if (entry.startsWith(`${basename(dataDir)}.init-`) && Number.isInteger(pid) && !alive(pid))
      await rm(join(parent, entry), { recursive: true, force: true })
  }
  const pwfile = join(parent, `.pwfile-${process.pid}`)
  await rm(tmp, { recursive: true, force: true })
  await mkdir(tmp, { recursive: true, mode: 0o700 })
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 })
  if (ids !== null) {
    await chown(tmp, ids.uid, ids.gid)
    await chown(pwfile, ids.uid, ids.gid)
  }
  try {
    const args = [`--pgdata=${tmp}`, "--auth=scram-sha-256", `--username=${user}`, `--pwfile=${pwfile}`]
    await run(initdb, [...args, "--encoding=UTF8", `--locale=${bestLocale()}`, "--lc-messages=C"], ids)
    await rename(tmp, dataDir)
  } catch (e) {
    await rm(tmp, { recursive: true, force: true })
    throw e
  } finally {
    await rm(pwfile, { force: true })
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops a server a killed run left running on `dataDir` (its postmaster.pid names a live postgres). */
export const stopLeftover = async (dataDir: string): Promise<void> => {
  const pidFile = join(dataDir, "postmaster.pid")
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0])
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return
  const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : ""
  if (!cmd.includes("postgres") || !cmd.includes(dataDir)) return
  process.kill(pid, "SIGINT")
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
}

export interface Running {
  readonly child: ChildProcess
  readonly stop: () => Promise<void>
}

/** Starts the server; resolves once it accepts connections, rejects with one line otherwise. */
export const startServer = (
  postgres: string,
  args: string[],
  ids: Ids | null,
  port: number,
  onLog: (line: string) => void,
  onUnexpectedExit: (message: string) => void,
): Promise<Running> =>
  new Promise((ok, fail) => {
    const child = spawn(postgres, args, {
      ...options(ids),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    })
    const lines: string[] = []
    let ready = false
    let stopping = false
    const killOnExit = () => child.kill("SIGINT")
    const onData = (d: Buffer) => {
      for (const line of d
        .toString()
        .split("\n")
        .filter((l) => l !== "")) {
        lines.push(line)
        if (lines.length > 20) lines.shift()
        onLog(line)
        if (!ready && line.includes("ready to accept connections")) {
          ready = true
          process.on("exit", killOnExit)
          ok({ child, stop })
        }
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    const exited = new Promise<void>((done) => child.on("close", () => done()))
    child.on("error", (e) => fail(new Error(`embedded PostgreSQL: could not run ${postgres}: ${e.message}`)))
    child.on("close", (code, signal) => {
      process.off("exit", killOnExit)
      const last = lines.find((l) => /FATAL|could not|error/i.test(l)) ?? lines.at(-1) ?? "no output"
      if (!ready) {
        const taken = lines.some((l) => l.includes("Address already in use"))
        fail(
          new Error(
            taken
              ? `embedded PostgreSQL: port ${port} on 127.0.0.1 is taken by another process; stop it, or remove the saved port to pick a new one (add-on URLs then change)`
              : `embedded PostgreSQL exited before it was ready (${signal ?? `exit ${code}`}): ${last}`,
          ),
        )
      } else if (!stopping)
        onUnexpectedExit(
          `embedded PostgreSQL on port ${port} exited unexpectedly (${signal ?? `exit ${code}`}): ${last}`,
        )
    })
    const stop = async () => {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT")
      await exited
    }
  })
