/**
 * The fast start. What some commands print is fixed when the CLI is built: `--help` and `-h` of
 * every command, `--version`, `schema`. The build runs the live CLI on each of those argv shapes
 * (bin/startRender.ts, from scripts/build.mjs) and writes what it printed, with its exit code, to a
 * table beside the bundle's chunks; here the entry answers exactly those shapes from the table
 * before Effect, @effect/cli or any command definition loads. Every other argv, a missing table
 * (running from source), or RECONCILE_LIVE_START=1 runs the live CLI (main.ts); `validate` in its
 * plain forms runs its handler directly, without @effect/cli (validateStart.ts).
 * test/startOutput.test.ts proves the table's answers equal the live ones byte for byte.
 * Imports nothing but node built-ins: that is the point.
 */
import { readFileSync, statSync } from "node:fs"
import type { Registry } from "./main.ts"

/** Where the build writes the table, relative to the bundle's entry. */
export const startTableName = "chunks/start-output.json"

/** One argv shape's answer: its exit code and each stream's text, as indexes into `texts`. */
export interface StartAnswer {
  readonly code: number
  readonly stdout: number
  readonly stderr: number
  /** The same streams when they carry colour (a terminal, NO_COLOR unset). */
  readonly stdoutColour: number
  readonly stderrColour: number
}

/** The table: answers keyed by `argvKey`, texts shared between shapes that print the same. */
export interface StartTable {
  readonly texts: ReadonlyArray<string>
  readonly answers: Readonly<Record<string, StartAnswer>>
}

/** The table's key of the arguments after the script's path. */
export const argvKey = (args: ReadonlyArray<string>): string => JSON.stringify(args)

/** Whether a stream should carry colour: a terminal, and NO_COLOR unset or empty. */
export const wantsColour = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTTY && (env.NO_COLOR ?? "") === ""

/** Only these shapes can be in the table: spares every other run the read. */
const mayBeAnswered = (args: ReadonlyArray<string>) => {
  const last = args[args.length - 1]
  return last === "--help" || last === "-h" || args.length === 1
}

const readTable = (table: URL): StartTable | undefined => {
  try {
    return JSON.parse(readFileSync(table, "utf8")) as StartTable
  } catch {
    return undefined
  }
}

/** Prints the table's answer to `args` and sets the exit code; false when the live CLI must run. */
export const answerFromTable = (table: URL, args: ReadonlyArray<string>): boolean => {
  if (process.env.RECONCILE_LIVE_START === "1" || !mayBeAnswered(args)) return false
  const loaded = readTable(table)
  const answer = loaded?.answers[argvKey(args)]
  if (loaded === undefined || answer === undefined) return false
  const colour = {
    stdout: wantsColour(process.stdout.isTTY === true, process.env),
    stderr: wantsColour(process.stderr.isTTY === true, process.env),
  }
  const stdout = loaded.texts[colour.stdout ? answer.stdoutColour : answer.stdout] ?? ""
  const stderr = loaded.texts[colour.stderr ? answer.stderrColour : answer.stderr] ?? ""
  if (stdout !== "") process.stdout.write(stdout)
  if (stderr !== "") process.stderr.write(stderr)
  process.exitCode = answer.code
  return true
}

const isFolderOrAbsent = (path: string) => {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() !== false
  } catch {
    return false
  }
}

/**
 * The flags of `validate` when written in a form whose meaning is plain (each of `--env NAME` or
 * `-e NAME`, and `--manifests DIR`, at most once, DIR a folder or absent): these run directly
 * (validateStart.ts). Any other form (`--env=NAME`, a repeated or unknown flag, a flag before the
 * command, `--manifests` naming a file) is the live CLI's to parse and to report.
 */
export const plainValidate = (
  args: ReadonlyArray<string>,
): { readonly env: string | undefined; readonly manifests: string } | undefined => {
  if (args[0] !== "validate" || args.length % 2 === 0) return undefined
  const given = new Map<string, string>()
  for (let at = 1; at < args.length; at += 2) {
    const flag = args[at] === "-e" ? "--env" : (args[at] as string)
    const value = args[at + 1] as string
    if (!["--env", "--manifests"].includes(flag) || given.has(flag)) return undefined
    if (value === "" || value.startsWith("-")) return undefined
    given.set(flag, value)
  }
  const manifests = given.get("--manifests")
  if (manifests !== undefined && !isFolderOrAbsent(manifests)) return undefined
  return { env: given.get("--env"), manifests: manifests ?? "manifests" }
}

const internalError = (e: unknown) => {
  const message = typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)
  process.stderr.write(`internal error (a bug in reconcile, or a broken installation): ${message}\n`)
  process.exitCode = 1
}

/**
 * The entry's whole work: answer from the table at `table` when it can, else load and run the live
 * CLI. With RECONCILE_RENDER_START=FILE (the build), render the table to FILE instead.
 */
export const start = (registry: Registry, table: URL): void => {
  const render = process.env.RECONCILE_RENDER_START ?? ""
  if (render !== "") {
    import("./startRender.ts").then((m) => m.renderStartTable(registry, render)).catch(internalError)
    return
  }
  const args = process.argv.slice(2)
  if (answerFromTable(table, args)) return
  const validate = process.env.RECONCILE_LIVE_START === "1" ? undefined : plainValidate(args)
  if (validate !== undefined) {
    // both loads at once: one's file reads overlap the other's compiling
    Promise.all([import("./validateStart.ts"), registry.manifest()])
      .then(([m, parts]) => m.validateDirect(parts, validate))
      .catch(internalError)
    return
  }
  import("./main.ts").then((m) => m.main(registry)).catch(internalError)
}
