/**
 * Starting one dyno: its Procfile command as a child process with `PORT`, the release's config and
 * (with the `runtime-dyno-metadata` feature) Heroku's dyno metadata, its output and state changes in the app's log, a pid file while it runs.
 * A web dyno is `up` once it listens on $PORT; a process that exits unasked makes it `crashed`.
 */
import { randomUUID } from "node:crypto"
import type { DynoInfo, DynoRelease } from "./dyno.ts"
import { freePort } from "./dynoFront.ts"
import type { LogBuffer } from "./dynoLogs.ts"
import { withPreload } from "./dynoLoopback.ts"
import type { PidFiles } from "./dynoPids.ts"
import { type DynoProcess, type DynoUser, spawnDyno, waitListening } from "./dynoProcess.ts"

export interface Dyno {
  readonly name: string
  readonly type: string
  readonly command: string
  readonly size: string
  readonly version: number
  readonly process: DynoProcess
  readonly port: number
  readonly startedAt: string
  state: DynoInfo["state"]
  /** Set when the simulator stops it, so its exit is not a crash. */
  stopping: boolean
}

/** Heroku's `runtime-dyno-metadata` variables, when the app has that feature on. */
const metadataEnv = (release: DynoRelease): Record<string, string> => {
  const m = release.metadata
  if (m === undefined || m === null) return {}
  return {
    HEROKU_APP_ID: m.appId,
    HEROKU_APP_NAME: release.appName,
    HEROKU_DYNO_ID: randomUUID(),
    HEROKU_RELEASE_CREATED_AT: m.releaseCreatedAt.replace(/\.\d+Z$/, "Z"),
    HEROKU_RELEASE_VERSION: `v${release.version}`,
    ...(m.slugCommit === null ? {} : { HEROKU_SLUG_COMMIT: m.slugCommit }),
    HEROKU_SLUG_DESCRIPTION: m.slugDescription,
  }
}

/** The environment of a dyno (or release phase) named `dyno`. */
export const dynoEnv = (
  release: DynoRelease,
  dyno: string,
  preload: string | undefined,
): Record<string, string> => {
  const nodeOptions = withPreload(release.config.NODE_OPTIONS, preload)
  return {
    ...release.config,
    ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }),
    DYNO: dyno,
    ...metadataEnv(release),
  }
}

const lines = (chunk: Buffer) =>
  chunk
    .toString("utf8")
    .split(/\r?\n/)
    .filter((l) => l !== "")

export interface StartDyno {
  readonly release: DynoRelease
  readonly name: string
  readonly type: string
  readonly log: LogBuffer
  readonly user: DynoUser | null
  readonly pids: PidFiles
  readonly graceMs: number
  readonly options: {
    readonly preload?: string
    readonly bootTimeoutMs?: number
    readonly onLog?: (appName: string, line: string) => void
  }
  /** Called when it crashes (to take it out of the router). */
  readonly onCrash: () => void
}

/** Starts the dyno; resolves once a web dyno listens (or crashed trying), at once for other types. */
export const startDyno = async (s: StartDyno): Promise<Dyno> => {
  const { release, name, type, log } = s
  const command = release.processTypes[type]!
  const port = await freePort()
  const env = { ...dynoEnv(release, name, s.options.preload), PORT: String(port) }
  const proc = spawnDyno(command, release.slugDir!, env, s.user)
  const dyno: Dyno = {
    name,
    type,
    command,
    size: release.formation.find((f) => f.type === type)?.size ?? "Basic",
    version: release.version,
    process: proc,
    port,
    startedAt: new Date().toISOString(),
    state: "starting",
    stopping: false,
  }
  const pid = proc.child.pid
  if (pid !== undefined) s.pids.record(pid, release.appName, name)
  log.push(`heroku[${name}]`, `Starting process with command \`${command}\``)
  const print = (b: Buffer) => {
    for (const l of lines(b)) {
      log.push(`app[${name}]`, l)
      s.options.onLog?.(release.appName, l)
    }
  }
  proc.child.stdout?.on("data", print)
  proc.child.stderr?.on("data", print)
  void proc.exited.then((code) => {
    if (pid !== undefined) s.pids.forget(pid)
    log.push(`heroku[${name}]`, `Process exited with status ${code ?? "unknown"}`)
    if (dyno.stopping) return
    log.push(`heroku[${name}]`, `State changed from ${dyno.state} to crashed`)
    dyno.state = "crashed"
    s.onCrash()
  })
  if (type === "web" && !(await waitListening(port, proc, s.options.bootTimeoutMs ?? 15_000))) {
    if (dyno.state !== "crashed") {
      log.push(`heroku[${name}]`, "Error R10 (Boot timeout) -> Web process failed to bind to $PORT")
      dyno.state = "crashed"
      dyno.stopping = true
      await proc.stop(s.graceMs)
    }
    return dyno
  }
  if (dyno.state === "starting") {
    dyno.state = "up"
    log.push(`heroku[${name}]`, "State changed from starting to up")
  }
  return dyno
}
