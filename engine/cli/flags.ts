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

/** The flags of subcommands that must never be given one they do not take (besides help, log-level). */
const subcommandFlags: Readonly<Record<string, ReadonlyArray<string>>> = {
  rollback: ["env", "manifests", "to", "dry-run"],
}

/**
 * `reconcile --dry-run rollback ...` would hand --dry-run to the top-level command and roll back for
 * real. For a subcommand listed above, flags written before it are moved after it, and a flag it does
 * not take is an error instead of being ignored.
 */
export const placeSubcommandFlags = (
  args: ReadonlyArray<string>,
): { readonly args: ReadonlyArray<string> } | { readonly error: string } => {
  const at = args.findIndex((a) => Object.hasOwn(subcommandFlags, a))
  if (at < 0) return { args }
  const name = args[at] as string
  const allowed = [...(subcommandFlags[name] ?? []), "help", "log-level"]
  const rest = [...args.slice(0, at), ...args.slice(at + 1)]
  for (const arg of rest) {
    if (arg === "--") break
    if (!arg.startsWith("--")) continue
    const flag = arg.slice(2).split("=")[0] ?? ""
    if (!allowed.includes(flag))
      return {
        error: `--${flag} does not apply to reconcile ${name} (it takes ${allowed
          .filter((f) => f !== "log-level")
          .map((f) => `--${f}`)
          .join(", ")})`,
      }
  }
  return { args: [name, ...rest] }
}
