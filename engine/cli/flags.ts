/**
 * Flags and command names are checked before @effect/cli sees them. It would report `--dry-rn` or
 * `valdate` as an invalid subcommand (listing every command, suggesting none), and it quietly hands
 * a flag written for another command to the top-level one (`reconcile validate --dry-run`,
 * `reconcile --dry-run rollback` once rolled back for real). Here every command lists the flags it
 * takes: an unknown flag is "unknown option --dry-rn (did you mean --dry-run?)", a flag of another
 * command is "--dry-run does not apply to reconcile validate", a mistyped command is `unknown
 * command "valdate": did you mean "validate"?` (one `suggest` for all of them), and a command's
 * flags written before its name are moved after it.
 */
import { suggest } from "../manifest/suggest.ts"

/** Each command (nested ones as "migrations resolve") and the flags it takes; "" is the top level. */
export type FlagTable = Readonly<Record<string, ReadonlyArray<string>>>

/** The engine's own commands. */
export const engineFlags: FlagTable = {
  "": ["env", "manifests", "dry-run", "detailed-exitcode", "output", "out", "allow-destroy", "report"],
  apply: ["output", "allow-destroy", "report"],
  validate: ["env", "manifests"],
  schema: [],
  envs: ["manifests", "json", "all"],
  rollback: ["env", "manifests", "to", "dry-run", "output", "out"],
}

/** What @effect/cli adds to every command. */
const builtIn = ["help", "version", "wizard", "completions", "log-level"]
/** Flags that take no value (every other flag takes the next argument, unless written `--flag=value`). */
const booleans = new Set([
  "dry-run",
  "detailed-exitcode",
  "allow-destroy",
  "json",
  "all",
  "force",
  "help",
  "version",
  "wizard",
])
/** Flags that take one of a few words (any command's; @effect/cli says only "Expected one of the following cases"). */
const choices: Readonly<Record<string, ReadonlyArray<string>>> = { output: ["text", "json", "markdown"] }

/** Per command, flags whose words differ from `choices` (`history` has no markdown output). */
export type ChoiceTable = Readonly<Record<string, Readonly<Record<string, ReadonlyArray<string>>>>>
const shortNames: Readonly<Record<string, string>> = { o: "output", e: "env", h: "help" }

const flagName = (arg: string): string | undefined => {
  if (arg.startsWith("--")) return arg.slice(2).split("=")[0] ?? ""
  if (/^-[a-zA-Z]$/.test(arg)) return shortNames[arg.slice(1)]
  return undefined
}

const list = (flags: ReadonlyArray<string>) =>
  flags.length === 0 ? "no options" : flags.map((f) => `--${f}`).join(", ")

/** Words a new user types for something the product spells differently. */
const spelledOtherwise: Readonly<Record<string, string>> = {
  help: "reconcile --help",
  version: "reconcile --version",
  plan: "reconcile --env NAME --dry-run",
  preview: "reconcile --env NAME --dry-run",
  diff: "reconcile --env NAME --dry-run",
  deploy: "reconcile --env NAME",
}

/** A top-level word that is no command (@effect/cli would only list every command). */
const unknownCommand = (word: string, commands: ReadonlyArray<string>): string => {
  const tops = commands.filter((c) => !c.includes(" "))
  const instead = Object.hasOwn(spelledOtherwise, word) ? spelledOtherwise[word] : undefined
  const close = instead === undefined ? suggest(word, tops) : undefined
  const hint =
    instead !== undefined
      ? `: did you mean ${instead}?`
      : close !== undefined
        ? `: did you mean "${close}"?`
        : ""
  return `unknown command "${word}"${hint} (reconcile --help lists the commands)`
}

/**
 * Checks every flag against the command it is given to, and moves the command's name before its
 * flags. Returns the arguments for @effect/cli, or the usage error to print.
 */
export const placeFlags = (
  args: ReadonlyArray<string>,
  table: FlagTable,
  commandChoices: ChoiceTable = {},
): { readonly args: ReadonlyArray<string> } | { readonly error: string } => {
  const commands = Object.keys(table).filter((k) => k !== "")
  const words: Array<string> = []
  const rest: Array<string> = []
  const given: Array<string> = []
  const values: Array<readonly [string, string]> = []
  let matching = true
  let stray: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === "--") {
      rest.push(...args.slice(i))
      break
    }
    const name = flagName(arg)
    if (name !== undefined || arg.startsWith("-")) {
      rest.push(arg)
      if (name === undefined) continue
      given.push(name)
      const next = args[i + 1]
      if (arg.includes("=")) values.push([name, arg.slice(arg.indexOf("=") + 1)])
      if (!booleans.has(name) && !arg.includes("=") && next !== undefined && next !== "--") {
        values.push([name, next])
        rest.push(next)
        i++
      }
      continue
    }
    const candidate = [...words, arg].join(" ")
    if (matching && commands.some((c) => c === candidate || c.startsWith(`${candidate} `))) {
      words.push(arg)
      continue
    }
    if (matching) stray = arg
    matching = false
    rest.push(arg)
  }
  const command = words.join(" ")
  const subcommands = commands
    .filter((c) => c.startsWith(`${command} `))
    .map((c) => c.slice(command.length + 1))
  if (command === "" && stray !== undefined) return { error: unknownCommand(stray, commands) }
  if (command !== "" && stray !== undefined && subcommands.length > 0) {
    const close = suggest(stray, subcommands)
    return {
      error: `unknown command reconcile ${command} ${stray} (${close === undefined ? `it has ${subcommands.join(", ")}` : `did you mean ${close}?`}); see reconcile ${command} --help`,
    }
  }
  const own = table[command]
  const allowed = [...(own ?? []), ...builtIn]
  const everyFlag = [...new Set([...Object.values(table).flat(), ...builtIn])]
  for (const flag of given) {
    if (allowed.includes(flag)) continue
    const where = command === "" ? "reconcile" : `reconcile ${command}`
    if (everyFlag.includes(flag))
      return { error: `--${flag} does not apply to ${where} (it takes ${list(own ?? [])})` }
    const close = suggest(flag, allowed)
    return {
      error: `unknown option --${flag}${close === undefined ? "" : ` (did you mean --${close}?)`}; see ${where} --help`,
    }
  }
  for (const [flag, value] of values) {
    const own = commandChoices[command]
    const allowedValues = own !== undefined && Object.hasOwn(own, flag) ? own[flag] : choices[flag]
    if (allowedValues === undefined || allowedValues.includes(value)) continue
    const close = suggest(value, allowedValues)
    const where = own !== undefined && Object.hasOwn(own, flag) ? ` for reconcile ${command}` : ""
    return {
      error: `--${flag} ${value}: expected ${allowedValues.join(", ")}${where}${close === undefined ? "" : ` (did you mean ${close}?)`}`,
    }
  }
  return { args: [...words, ...rest] }
}

/** Flags after which a command runs without its required ones (@effect/cli's built-ins). */
const standalone = new Set(builtIn.filter((f) => f !== "log-level"))

/** What a command's `--env` names: a manifest that exists, or one it writes (`import`). */
export type EnvNeed = "existing" | "new"

/** A command run without the `--env` it needs. */
export interface MissingEnv {
  readonly command: string
  readonly need: EnvNeed
  readonly manifests: string
}

/**
 * For arguments as `placeFlags` returns them: the command, and its `--manifests` folder, when it is
 * one of `needing` and was given no `--env` (nor `--help` and the like). @effect/cli would say only
 * "Expected to find option: '--env'"; the caller says what --env is and which environments exist.
 */
export const missingEnv = (
  args: ReadonlyArray<string>,
  table: FlagTable,
  needing: Readonly<Record<string, EnvNeed>>,
): MissingEnv | undefined => {
  const command = Object.keys(table)
    .filter((c) => c === "" || c.split(" ").every((word, i) => args[i] === word))
    .reduce((a, b) => (b.length > a.length ? b : a), "")
  const need = needing[command]
  if (need === undefined) return undefined
  let manifests = "manifests"
  for (let i = command === "" ? 0 : command.split(" ").length; i < args.length; i++) {
    const arg = args[i] as string
    // a stray word is an unknown command: placeFlags says so, better than asking for --env
    if (command === "" && !arg.startsWith("-")) return undefined
    if (arg === "--") break
    if (!arg.startsWith("-")) continue
    const name = flagName(arg)
    if (name === "env" || (name !== undefined && standalone.has(name))) return undefined
    const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined
    const next = name === undefined || booleans.has(name) || value !== undefined ? undefined : args[++i]
    if (name === "manifests") manifests = value ?? next ?? manifests
  }
  return { command, need, manifests }
}
