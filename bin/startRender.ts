/**
 * The build's half of the fast start (start.ts): runs the live CLI, in this one process, on every
 * argv shape whose output is fixed (`--help` and `-h` of each command, `--version`, `schema`),
 * once with colour and once without, captures what each printed and its exit code, and writes the
 * table the bundle's entry answers from. scripts/build.mjs runs it on the bundle it just built.
 */
import { writeFileSync } from "node:fs"
import * as Effect from "effect/Effect"
import { exitCode, type Status } from "./exitCode.ts"
import { edgeCli, edgeProgram, type Registry } from "./main.ts"
import { argvKey, type StartAnswer, type StartTable } from "./start.ts"

/** The argv shapes (after the script's path) the table answers, for these commands' words. */
export const startShapes = (commands: ReadonlyArray<string>): ReadonlyArray<ReadonlyArray<string>> => [
  ["--version"],
  ["schema"],
  ...commands.flatMap((command) => {
    const words = command === "" ? [] : command.split(" ")
    return [
      [...words, "--help"],
      [...words, "-h"],
    ]
  }),
]

interface Printed {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

type Write = typeof process.stdout.write

/** What `run` writes to stdout and stderr while it runs, and the exit code it returns. */
const capture = async (run: () => Promise<number>): Promise<Printed> => {
  const streams = { stdout: [] as Array<string>, stderr: [] as Array<string> }
  const original = { stdout: process.stdout.write, stderr: process.stderr.write }
  const into =
    (sink: Array<string>): Write =>
    (chunk: string | Uint8Array, ...rest: Array<unknown>) => {
      sink.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined
      done?.()
      return true
    }
  process.stdout.write = into(streams.stdout)
  process.stderr.write = into(streams.stderr)
  try {
    const code = await run()
    return { code, stdout: streams.stdout.join(""), stderr: streams.stderr.join("") }
  } finally {
    process.stdout.write = original.stdout
    process.stderr.write = original.stderr
  }
}

/** Renders the table for this edge's CLI and writes it to `file`; exits 1 if a shape fails. */
export const renderStartTable = async (registry: Registry, file: string): Promise<void> => {
  const cli = edgeCli(registry)
  const texts: Array<string> = []
  const index = new Map<string, number>()
  const textIndex = (text: string) => {
    const known = index.get(text)
    if (known !== undefined) return known
    index.set(text, texts.length)
    texts.push(text)
    return texts.length - 1
  }
  const printed = (args: ReadonlyArray<string>, colour: boolean) =>
    capture(async () => {
      const status: Status = { code: 0 }
      const program = edgeProgram(cli, ["node", "reconcile", ...args], status, {
        stdout: colour,
        stderr: colour,
      })
      return exitCode(await Effect.runPromiseExit(program), status)
    })
  const answers: Record<string, StartAnswer> = {}
  for (const args of startShapes(cli.commands)) {
    const plain = await printed(args, false)
    const coloured = await printed(args, true)
    if (plain.code !== 0 || coloured.code !== 0) {
      process.stderr.write(`reconcile ${args.join(" ")} exited ${plain.code}:\n${plain.stderr}`)
      process.exit(1)
    }
    answers[argvKey(args)] = {
      code: plain.code,
      stdout: textIndex(plain.stdout),
      stderr: textIndex(plain.stderr),
      stdoutColour: textIndex(coloured.stdout),
      stderrColour: textIndex(coloured.stderr),
    }
  }
  const table: StartTable = { texts, answers }
  writeFileSync(file, JSON.stringify(table))
  process.exit(0)
}
