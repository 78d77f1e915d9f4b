/**
 * The fast start (bin/start.ts) answers `--help` and `-h` of every command, `--version` and `schema`
 * from a table the build rendered with the live CLI (bin/startRender.ts). On the test bundle, this
 * proves each answer is what the live CLI prints (forced with RECONCILE_LIVE_START=1) byte for byte,
 * with the same exit code, so a change to any command's help cannot drift from it; that the table
 * covers every command the live help lists; that the answer comes from the table with nothing else
 * of the bundle present; and that every other argv runs the live CLI.
 */
import { spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { afterAll, describe, expect, inject, it } from "vitest"
import type { StartTable } from "../bin/start.ts"
import { runCli, runCliAsync } from "./support/cli.ts"

const bundle = resolve(inject("cliBundle"))
const tableFile = join(dirname(bundle), "chunks", "start-output.json")
const table = JSON.parse(readFileSync(tableFile, "utf8")) as StartTable
const shapes = Object.keys(table.answers).map((key) => JSON.parse(key) as Array<string>)
const live = { RECONCILE_LIVE_START: "1" }

/** Runs `jobs` at most `width` at a time (each is a child process). */
const pooled = async <A>(jobs: ReadonlyArray<() => Promise<A>>, width = 3): Promise<Array<A>> => {
  const results: Array<A> = []
  let next = 0
  const worker = async () => {
    for (let at = next++; at < jobs.length; at = next++) results[at] = await (jobs[at] as () => Promise<A>)()
  }
  await Promise.all(Array.from({ length: width }, worker))
  return results
}

const printed = (r: { code: number | null; stdout: string; stderr: string }) => ({
  code: r.code,
  stdout: r.stdout,
  stderr: r.stderr,
})

const dirs: Array<string> = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A copy of the bundle's entry with only the chunks it imports statically and the table. */
const entryAlone = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "reconcile-start-"))
  dirs.push(dir)
  mkdirSync(join(dir, "chunks"))
  const entry = readFileSync(bundle, "utf8")
  for (const [, chunk] of entry.matchAll(/(?:from|import)\s*"\.\/(chunks\/[\w-]+\.mjs)"/g))
    copyFileSync(join(dirname(bundle), chunk as string), join(dir, chunk as string))
  copyFileSync(tableFile, join(dir, "chunks", "start-output.json"))
  writeFileSync(join(dir, "reconcile.mjs"), entry)
  return join(dir, "reconcile.mjs")
}

const node = (entry: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [entry, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 120_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("the fast start", () => {
  it("answers every command's --help, --version and schema exactly as the live CLI does", async () => {
    // every `--help`, and `-h` at the top; the table holds every other `-h` as its `--help`
    const checked = shapes.filter((args) => args.at(-1) !== "-h" || args.length === 1)
    const runs = await pooled(
      checked.map((args) => async () => ({
        args,
        fast: printed(await runCliAsync(args)),
        live: printed(await runCliAsync(args, { env: live })),
      })),
    )
    for (const { args, fast, live } of runs) {
      expect({ args, ...fast }).toEqual({ args, ...live })
      expect(fast.code).toBe(0)
      expect(fast.stdout).not.toBe("")
    }
    for (const args of shapes.filter((a) => a.at(-1) === "-h")) {
      const help = table.answers[JSON.stringify([...args.slice(0, -1), "--help"])]
      expect(table.answers[JSON.stringify(args)]).toEqual(help)
    }
  }, 180_000)

  it("covers every command the live help lists, nested ones included", () => {
    const help = runCli(["--help"], { env: live }).stdout
    const listed = help
      .split("\n")
      .filter((line) => line.startsWith("  - "))
      .map((line) => {
        // "  - backup restore (-e, --env text) [...]  Replace ...": the words before the first flag
        const words = (line.slice(4).split("  ")[0] ?? "").split(" ")
        const flagsAt = words.findIndex((w) => !/^[a-z][\w-]*$/.test(w))
        return flagsAt === -1 ? words : words.slice(0, flagsAt)
      })
    expect(listed.map((w) => w.join(" "))).toContain("backup restore")
    const answered = new Set(Object.keys(table.answers))
    for (const words of [[], ...listed]) {
      expect(answered).toContain(JSON.stringify([...words, "--help"]))
      expect(answered).toContain(JSON.stringify([...words, "-h"]))
    }
    for (const args of [["--version"], ["schema"]]) expect(answered).toContain(JSON.stringify(args))
  })

  it("answers from the table alone: nothing else of the bundle loads", () => {
    const entry = entryAlone()
    const schema = node(entry, ["schema"])
    expect(schema).toEqual(printed(runCli(["schema"])))
    const help = node(entry, ["backup", "verify", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--scratch-server")
    // the live CLI is not there: forcing it is a one-line internal error, exit 1
    const forced = node(entry, ["--help"], live)
    expect(forced.code).toBe(1)
    expect(forced.stderr).toMatch(/^internal error \(a bug in reconcile, or a broken installation\): .+\n$/)
    expect(forced.stdout).toBe("")
  })

  it("prints the table's text, and takes the live path for any argv the table does not hold", () => {
    const entry = entryAlone()
    const copy = join(dirname(entry), "chunks", "start-output.json")
    const tampered = JSON.parse(readFileSync(copy, "utf8")) as { texts: Array<string> }
    const index = table.answers[JSON.stringify(["--help"])]?.stdout as number
    tampered.texts[index] = "from the table\n"
    writeFileSync(copy, JSON.stringify(tampered))
    expect(node(entry, ["--help"]).stdout).toBe("from the table\n")
    for (const args of [["--help", "extra"], ["validate", "extra", "--help"], ["validate"], []]) {
      const r = node(entry, args)
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: "" })
      expect(r.stderr).toMatch(/^internal error \(a bug in reconcile/)
    }
  })

  it("validate, run without @effect/cli in its plain forms, prints and exits as the live CLI does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-start-validate-"))
    dirs.push(dir)
    mkdirSync(join(dir, "manifests"))
    const release = (name: string, body: string) =>
      writeFileSync(
        join(dir, "manifests", `${name}.yaml`),
        `apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: ${name}\n${body}`,
      )
    release("base", "spec:\n  fake:\n    values:\n      GREETING: hello\n")
    release("staging", "  extends: base.yaml\nspec:\n  fake:\n    values:\n      LEVEL: debug\n")
    release("zz-broken", "  extends: base.yaml\nspec:\n  fake:\n    valuez: 1\n")
    writeFileSync(join(dir, "not-a-folder"), "")
    const forms = [
      ["validate"],
      ["validate", "-e", "staging"],
      ["validate", "--env", "staging", "--manifests", "manifests"],
      ["validate", "--env", "zz-broken"],
      ["validate", "--env", "missing"],
      ["validate", "--manifests", "nowhere"],
      ["validate", "--manifests", "not-a-folder"],
      ["validate", "--env=staging"],
    ]
    const runs = await pooled(
      forms.map((args) => async () => ({
        args,
        fast: printed(await runCliAsync(args, { cwd: dir })),
        live: printed(await runCliAsync(args, { cwd: dir, env: live })),
      })),
    )
    for (const { args, fast, live } of runs) expect({ args, ...fast }).toEqual({ args, ...live })
    const [all, staging, , broken] = runs.map((r) => r.fast)
    expect(all?.code).toBe(1)
    expect(all?.stderr).toMatch(/^manifests\/zz-broken\.yaml:\d+:\d+: /)
    expect(staging).toEqual({ code: 0, stdout: "manifests/staging.yaml: valid (1 section(s))\n", stderr: "" })
    expect(broken?.code).toBe(1)
  }, 120_000)

  it("yaml's warnings reach stderr through process.emitWarning, as from its Node build", () => {
    // the bundle takes yaml's ES module build (its browser build, which warns with console.warn)
    // with the log module swapped back (scripts/build.mjs): a collection key is such a warning
    const dir = mkdtempSync(join(tmpdir(), "reconcile-start-yaml-"))
    dirs.push(dir)
    mkdirSync(join(dir, "manifests"))
    writeFileSync(
      join(dir, "manifests", "odd.yaml"),
      "apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: odd\n  ? [a, b]\n  : 1\n",
    )
    const r = runCli(["validate", "--env", "odd"], { cwd: dir, env: { NODE_NO_WARNINGS: "0" } })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^\(node:\d+\) Warning: Keys with collection values will be stringified due to JS Object restrictions: "\[ a, b \]"\. Set mapAsMap: true to use object keys\.$/m,
    )
    expect(r.stderr).toContain('metadata.[ a, b ]: unknown key "[ a, b ]"')
  })

  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0
  it.skipIf(!hasScript)("on a terminal: the same colours as the live CLI, none with NO_COLOR", () => {
    const onTerminal = (env: Record<string, string | undefined>) => {
      const r = spawnSync(
        "script",
        ["-qec", `"${process.execPath}" "${bundle}" rollback --help`, "/dev/null"],
        {
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: undefined, ...env },
          timeout: 120_000,
        },
      )
      return { code: r.status, stdout: r.stdout }
    }
    const coloured = onTerminal({})
    expect(coloured.stdout).toContain("\u001b[")
    expect(coloured).toEqual(onTerminal(live))
    const plain = onTerminal({ NO_COLOR: "1" })
    expect(plain.stdout).not.toContain("\u001b[")
    expect(plain).toEqual(onTerminal({ NO_COLOR: "1", ...live }))
  })
})
