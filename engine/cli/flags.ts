/**
 * Catches mistyped flags before @effect/cli sees them: it would report `--dry-rn` as an invalid
 * subcommand. Here it becomes "unknown option --dry-rn (did you mean --dry-run?)".
 */
import { suggest } from "../manifest/suggest.ts"

const known = [
  "env",
  "manifests",
  "dry-run",
  "detailed-exitcode",
  "output",
  "out",
  "allow-destroy",
  "report",
  "json",
  "all",
  "help",
  "version",
  "wizard",
  "completions",
  "log-level",
]

/** The first unknown `--flag` in the arguments (after the executable), as a message, if any. */
export const unknownFlag = (
  args: ReadonlyArray<string>,
  extra: ReadonlyArray<string> = [],
): string | undefined => {
  const flags = [...known, ...extra]
  for (const arg of args) {
    if (arg === "--") return undefined
    if (!arg.startsWith("--")) continue
    const name = arg.slice(2).split("=")[0] ?? ""
    if (flags.includes(name)) continue
    const close = suggest(name, flags)
    return `unknown option --${name}${close === undefined ? "" : ` (did you mean --${close}?)`}; see reconcile --help`
  }
  return undefined
}
