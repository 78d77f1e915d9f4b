/**
 * Runs the manifest's frontend build command: `sh -c` in its own process group, with only the
 * variables a build needs (never the runner's secrets), bounded by a timeout after which the whole
 * group is stopped, and with every known secret value scrubbed from its output before anyone sees it.
 */
import { spawn } from "node:child_process"
import * as Effect from "effect/Effect"
import { carriesCredentials, looksSecretName, scrubSecrets } from "../../engine/index.ts"

/** Variables passed through as they are (when their values carry no credentials). */
const basics: ReadonlySet<string> = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "TERM",
  "COLORTERM",
  "NO_COLOR",
  "FORCE_COLOR",
  "CI",
  "NODE_ENV",
  "NODE_OPTIONS",
  "NODE_EXTRA_CA_CERTS",
  "XDG_CACHE_HOME",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "COREPACK_HOME",
  "NVM_DIR",
])

/** Prefixes passed through: locale, npm's configuration, and Vite's public build variables. */
const prefixes = ["LC_", "npm_config_", "NPM_CONFIG_", "VITE_"]

/** The build's environment: the allowlist above, minus anything whose name or value looks secret. */
export const buildEnv = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || looksSecretName(k) || carriesCredentials(v)) continue
    if (basics.has(k) || prefixes.some((p) => k.startsWith(p))) out[k] = v
  }
  return out
}

export interface BuildRun {
  readonly ok: boolean
  readonly timedOut: boolean
  /** stdout and stderr interleaved, the last 64 KiB, secrets scrubbed. */
  readonly output: string
}

const maxOutput = 64 * 1024
const killGraceMs = 2000

/**
 * Runs `command` in `cwd`. After `timeoutMs`, or when interrupted, the process group gets SIGTERM
 * and, `killGraceMs` later, SIGKILL. `secrets` are scrubbed from the output.
 */
export const runBuild = (options: {
  readonly command: string
  readonly cwd: string
  readonly timeoutMs: number
  readonly secrets: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string | undefined>>
}): Effect.Effect<BuildRun> =>
  Effect.async<BuildRun>((resume) => {
    const child = spawn("/bin/sh", ["-c", options.command], {
      cwd: options.cwd,
      env: buildEnv(options.env ?? process.env),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (output.length > 2 * maxOutput) output = output.slice(-maxOutput)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    let exited = false
    const stopGroup = () => {
      const signal = (sig: NodeJS.Signals) => {
        if (exited || child.pid === undefined) return
        try {
          process.kill(-child.pid, sig)
        } catch {
          // already gone
        }
      }
      signal("SIGTERM")
      setTimeout(() => signal("SIGKILL"), killGraceMs).unref()
    }
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      stopGroup()
    }, options.timeoutMs)
    let finished = false
    const finish = (ok: boolean, extra = "") => {
      if (finished) return
      finished = true
      exited = true
      clearTimeout(timer)
      const text = scrubSecrets(`${output}${extra}`.slice(-maxOutput), options.secrets)
      resume(Effect.succeed({ ok: ok && !timedOut, timedOut, output: text }))
    }
    child.once("error", (e) => finish(false, `\n${e.message}`))
    child.once("close", (code) => finish(code === 0))
    // a descendant that left the group may hold the pipes open: do not wait for it forever
    child.once("exit", (code) => {
      setTimeout(() => finish(code === 0), 1000)
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      stopGroup()
    })
  })
