/**
 * The README's CLI synopsis (the fenced block under "## The CLI") against the live command table: a
 * new user reading it finds every command, and every flag each command takes, on its line.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { edgeCli } from "../bin/main.ts"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
const synopsis = readme.split("## The CLI")[1]?.split("```")[1] ?? ""

/** Each synopsis entry: its first line and the indented lines continuing it. */
const entries = synopsis
  .split(/\n(?=reconcile )/)
  .map((e) => e.trim())
  .filter((e) => e.startsWith("reconcile"))

const cli = edgeCli({
  plugins: () => Promise.resolve([]),
  manifest: () => Promise.reject(new Error("not loaded by this test")),
})

/** Commands with no subcommands of their own ("" is `reconcile --env NAME`). */
const leaves = cli.commands.filter(
  (c) => !cli.commands.some((other) => other.startsWith(`${c} `) && c !== ""),
)

const entryOf = (command: string) =>
  entries.find((e) =>
    command === ""
      ? e.startsWith("reconcile --env")
      : e.startsWith(`reconcile ${command} `) || e === `reconcile ${command}`,
  )

describe("README: the CLI synopsis", () => {
  it("lists every command, with every flag it takes", () => {
    const missing: Array<string> = []
    for (const command of leaves) {
      const entry = entryOf(command)
      if (entry === undefined) {
        missing.push(`reconcile ${command}: no line`)
        continue
      }
      for (const flag of cli.flags[command] ?? [])
        if (!new RegExp(`--${flag}\\b`).test(entry)) missing.push(`reconcile ${command}: --${flag}`)
    }
    expect(missing).toEqual([])
  })
})
