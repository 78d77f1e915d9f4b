/**
 * A real `redis-server` behind `heroku-redis` add-ons, when one is installed: started and stopped
 * with the simulator, listening on 127.0.0.1 with a random password, its port and password kept in
 * `<dir>/credentials.json` (0600) so a restart answers at the REDIS_URL already in config vars, its
 * data in an append-only file under `dir`. The password goes in a 0600 config file, never on the
 * command line (where `ps` would show it).
 */
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { accessSync, constants, existsSync, readFileSync } from "node:fs"
import { chmod, mkdir, writeFile } from "node:fs/promises"
import { delimiter, join } from "node:path"
import { freePort } from "../postgres/embedded.ts"

export interface RedisServer {
  /** The URL every heroku-redis add-on gets. */
  readonly url: string
  readonly port: number
  readonly stop: () => Promise<void>
}

/** The `redis-server` on PATH, if any. */
export const findRedisServer = (): string | null => {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, "redis-server")
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {}
  }
  return null
}

const saved = (file: string): { port: number; password: string } | undefined => {
  if (!existsSync(file)) return undefined
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as { port?: unknown; password?: unknown }
    if (typeof raw.port === "number" && typeof raw.password === "string")
      return { port: raw.port, password: raw.password }
  } catch {}
  throw new Error(`redis: ${file} is damaged; remove it (heroku-redis URLs then change)`)
}

/** Stops a redis-server a killed simulator left running on this directory (its pidfile names it). */
const stopLeftover = async (pidFile: string, port: number): Promise<void> => {
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, "utf8").trim())
  const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : ""
  if (!Number.isInteger(pid) || pid <= 0 || !cmd.includes("redis-server") || !cmd.includes(`:${port}`)) return
  process.kill(pid, "SIGTERM")
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 50))
}

/** Starts `binary` on `dir`; resolves once it accepts connections, rejects with one line otherwise. */
export const startRedis = async (
  binary: string,
  dir: string,
  onError: (message: string) => void,
): Promise<RedisServer> => {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const credentials = join(dir, "credentials.json")
  const { port, password } = saved(credentials) ?? {
    port: await freePort(),
    password: randomBytes(24).toString("base64url"),
  }
  await writeFile(credentials, `${JSON.stringify({ port, password })}\n`, { mode: 0o600 })
  await chmod(credentials, 0o600)
  await stopLeftover(join(dir, "redis.pid"), port)
  const conf = join(dir, "redis.conf")
  const settings = [
    `port ${port}`,
    "bind 127.0.0.1",
    "protected-mode yes",
    `requirepass ${password}`,
    `dir ${JSON.stringify(dir)}`,
    "appendonly yes",
    "daemonize no",
    'logfile ""',
    `pidfile ${JSON.stringify(join(dir, "redis.pid"))}`,
  ]
  await writeFile(conf, `${settings.join("\n")}\n`, { mode: 0o600 })
  await chmod(conf, 0o600)
  return new Promise((ok, fail) => {
    const child = spawn(binary, [conf], { stdio: ["ignore", "pipe", "pipe"], detached: true })
    const lines: string[] = []
    let ready = false
    let stopping = false
    const killOnExit = () => child.kill("SIGTERM")
    const onData = (d: Buffer) => {
      for (const line of d
        .toString()
        .split("\n")
        .filter((l) => l !== "")) {
        lines.push(line)
        if (lines.length > 20) lines.shift()
        if (!ready && line.includes("Ready to accept connections")) {
          ready = true
          process.on("exit", killOnExit)
          ok({ url: `redis://:${password}@127.0.0.1:${port}`, port, stop })
        }
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    const exited = new Promise<void>((done) => child.on("close", () => done()))
    child.on("error", (e) => fail(new Error(`redis: could not run ${binary}: ${e.message}`)))
    child.on("close", (code, signal) => {
      process.off("exit", killOnExit)
      const last = lines.find((l) => /#|error|fatal/i.test(l)) ?? lines.at(-1) ?? "no output"
      const how = signal ?? `exit ${code}`
      if (!ready) {
        const taken = lines.some((l) => l.includes("Address already in use"))
        fail(
          new Error(
            taken
              ? `redis: port ${port} on 127.0.0.1 (saved in ${credentials}) is taken by another process; stop it, or remove that file to pick a new port`
              : `redis-server exited before it was ready (${how}): ${last}`,
          ),
        )
      } else if (!stopping) onError(`redis-server on port ${port} exited unexpectedly (${how}): ${last}`)
    })
    const stop = async () => {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      await exited
    }
  })
}
