// Conventions of a command-line tool: no colour escapes unless a person reads a terminal, and a
// --version that is the package's own.
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli } from "./support/cli.ts"

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, "../package.json"), "utf8")) as {
  readonly version: string
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: an escape character is what is looked for
const ansiEscape = /\u001b\[/

describe("command-line conventions", () => {
  it("--help piped to a file or a pipe prints no colour escapes, NO_COLOR unset", () => {
    const r = runCli(["--help"], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("USAGE")
    expect(r.stdout).not.toMatch(ansiEscape)
  })

  it("a subcommand's --help and a usage error are plain too", () => {
    const help = runCli(["validate", "--help"], { env: { NO_COLOR: undefined } })
    expect(help.stdout).toContain("validate")
    expect(help.stdout).not.toMatch(ansiEscape)
    const bad = runCli(["apply"], { env: { NO_COLOR: undefined } })
    expect(bad.code).toBe(1)
    expect(bad.stdout + bad.stderr).not.toMatch(ansiEscape)
  })

  const hasScript = spawnSync("script", ["--version"]).status === 0
  it.skipIf(!hasScript)("on a terminal: colour by default, none with NO_COLOR", () => {
    const bundle = resolve(process.cwd(), "dist/test/reconcile.mjs")
    const onTty = (noColor: string | undefined) => {
      const env: Record<string, string> = {}
      for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: noColor })) {
        if (v !== undefined) env[k] = v
      }
      const r = spawnSync("script", ["-qec", `${process.execPath} ${bundle} --help`, "/dev/null"], {
        env,
        encoding: "utf8",
        timeout: 30_000,
      })
      return r.stdout
    }
    expect(onTty(undefined)).toMatch(ansiEscape)
    const plain = onTty("1")
    expect(plain).toContain("USAGE")
    expect(plain).not.toMatch(ansiEscape)
  })

  it("--version is the package's version", () => {
    const r = runCli(["--version"])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })
})
