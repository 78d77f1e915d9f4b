/**
 * Linting pending migrations with Squawk (the `squawk-cli` package's binary, run once for all the
 * files, JSON reporter, the target server's Postgres version). We only parse its findings: the rule
 * set is Squawk's. Two of its rules are left out because the runner already does what they ask:
 * every migration session sets `lock_timeout` and `statement_timeout` from `spec.policy`, and each
 * migration runs in a transaction (`--assume-in-transaction`).
 */
import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import * as Effect from "effect/Effect"

export interface LintFinding {
  /** The file as given to Squawk. */
  readonly file: string
  readonly rule: string
  /** 1-based. */
  readonly line: number
  readonly message: string
  readonly help: string | null
}

/** Rules the runner satisfies by construction (see the module comment). */
export const excludedRules = ["require-lock-timeout", "require-statement-timeout"] as const

/** Squawk's flags for a server version number such as 150004. */
export const squawkArgs = (serverVersion: number): ReadonlyArray<string> => [
  "--reporter",
  "json",
  `--pg-version=${Math.floor(serverVersion / 10000)}.${serverVersion % 10000}`,
  "--assume-in-transaction",
  `--exclude=${excludedRules.join(",")}`,
]

/** The platform binary that `squawk-cli` installs, or undefined where it is not installed. */
export const squawkBinary = (): string | undefined => {
  try {
    const require = createRequire(import.meta.url)
    return require.resolve(`@squawk-cli/${process.platform}-${process.arch}/bin/squawk`)
  } catch {
    return undefined
  }
}

interface RawFinding {
  readonly file?: unknown
  readonly rule_name?: unknown
  readonly line?: unknown
  readonly message?: unknown
  readonly help?: unknown
}

/** Parses Squawk's JSON report (0-based lines) into findings (1-based lines). */
export const parseSquawkJson = (text: string): ReadonlyArray<LintFinding> => {
  const parsed: unknown = JSON.parse(text.trim() === "" ? "[]" : text)
  if (!Array.isArray(parsed)) throw new Error("squawk printed JSON that is not a list of findings")
  return (parsed as ReadonlyArray<RawFinding>).map((f) => ({
    file: String(f.file ?? ""),
    rule: String(f.rule_name ?? "unknown"),
    line: (typeof f.line === "number" ? f.line : 0) + 1,
    message: String(f.message ?? ""),
    help: typeof f.help === "string" ? f.help : null,
  }))
}

/** What linting gave: findings, or why there are none (Squawk missing or failing). */
export interface LintResult {
  readonly findings: ReadonlyArray<LintFinding>
  readonly unavailable?: string
}

/**
 * Lints `files` (absolute paths) in one Squawk run. Squawk exits 1 when it finds something, so the
 * exit code is not an error; a missing binary or unreadable output is reported, never fatal.
 */
export const lintFiles = (files: ReadonlyArray<string>, serverVersion: number): Effect.Effect<LintResult> => {
  if (files.length === 0) return Effect.succeed({ findings: [] })
  const bin = squawkBinary()
  if (bin === undefined)
    return Effect.succeed({ findings: [], unavailable: "squawk-cli is not installed for this platform" })
  return Effect.async<LintResult>((resume) => {
    const child = execFile(
      bin,
      [...squawkArgs(serverVersion), ...files],
      { maxBuffer: 32 * 1024 * 1024, timeout: 30_000, env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) => {
        try {
          resume(Effect.succeed({ findings: parseSquawkJson(stdout) }))
        } catch {
          const why = (stderr || error?.message || "no output").split("\n")[0]
          resume(Effect.succeed({ findings: [], unavailable: `squawk failed: ${why}` }))
        }
      },
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })
}
