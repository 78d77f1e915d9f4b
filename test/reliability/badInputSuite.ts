/**
 * Bad input: 2,000 seeded mutations of the real manifests (deleted keys, wrong types, broken YAML,
 * huge values, unicode, unknown keys, empty or multi-document files, hostile paths for `extends`,
 * migrations and datasets: /etc/passwd, /dev/zero, FIFOs, ../ escapes, symlinks out; invalid UTF-8,
 * NUL bytes, byte-order marks, UTF-16). Each either validates, or its
 * plan run exits 1 with `file:line:col` problems, no stack trace, no plugin services built and no
 * request to the simulator. Most run the CLI program in-process; a sample runs the bundled CLI.
 *
 * The 2,000 cases run in two files of 1,000 (badInput.test.ts: cases 0-999, badInputMore.test.ts:
 * 1000-1999), each with half the bundled-CLI sample: the cases are CPU work in the test process, so
 * two files share it between the two test workers.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { makeCli } from "../../engine/cli/commands.ts"
import { ExitStatus } from "../../engine/cli/exitCodes.ts"
import type { CliConfig } from "../../engine/cli/run.ts"
import { secretEnvFromRecord } from "../../engine/manifest/index.ts"
import type { PluginServices } from "../../plugins/index.ts"
import { reporters } from "../../reporters/index.ts"
import type { Simulator } from "../../sim/index.ts"
import { testPlugins as plugins } from "../stand-ins/plugins.ts"
import { allOutput, runCliAsync } from "../support/cli.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { type Mutation, mutate } from "./mutate.ts"
import { canaries, expectNoCanary, mulberry32, pool, simServices } from "./support.ts"

const SEED = 8_000_000
const files = readdirSync("manifests").filter((f) => f.endsWith(".yaml"))
const originals = new Map(files.map((f) => [f, readFileSync(join("manifests", f), "utf8")]))
const extendsBase = files.filter((f) => f !== "base.yaml")

const positioned = /\.yaml:\d+:\d+: /
const stackTrace = /^\s+at .+:\d+:\d+\)?$|internal error|TypeError|RangeError|ReferenceError|SyntaxError/m

interface Case extends Mutation {
  readonly index: number
  readonly file: string
  readonly env: string
}

const caseOf = (index: number): Case => {
  const rng = mulberry32(SEED + index)
  const file = files[Math.floor(rng() * files.length)] ?? "base.yaml"
  const envFile = file === "base.yaml" ? (extendsBase[Math.floor(rng() * extendsBase.length)] ?? file) : file
  const m = mutate(rng, originals.get(file) ?? "")
  return { index, file, env: envFile.replace(/\.yaml$/, ""), ...m }
}

/** Writes the real manifests into `dir` with the case's file replaced by the mutation. */
const writeCase = (c: Case, dir: string) => {
  for (const [f, text] of originals) {
    if (f !== c.file) writeFileSync(join(dir, f), text)
    else writeFileSync(join(dir, f), c.bytes ?? c.text.replaceAll("__DIR__", dir))
  }
  c.setup?.(dir)
}

/** A folder holding the real manifests with one file replaced by the mutation. */
const folderFor = (c: Case, dir: string) => {
  cpSync("manifests", dir, { recursive: true })
  writeCase(c, dir)
  return dir
}

const describeCase = (c: Case) => `mutation #${c.index} (seed ${SEED + c.index}): ${c.file}: ${c.what}`

/**
 * The suite for cases `first`..`first + count - 1`, `childSample` of whose invalid ones also run
 * through the bundled CLI. Its state is per suite: the forks keep this module loaded from one test
 * file to the next.
 */
export const badInputSuite = (first: number, count: number, childSample: number): void => {
  let sim: Simulator
  let root: string
  const captured: Array<string> = []
  let servicesBuilt = 0

  beforeAll(async () => {
    sim = await startSim({ onError: () => {} })
    root = mkdtempSync(join(tmpdir(), "reliability-bad-"))
  })
  afterAll(async () => {
    expectNoCanary([...captured, ...allOutput], "bad input")
    await sim?.close()
    if (root !== undefined) rmSync(root, { recursive: true, force: true })
  })

  const config: CliConfig<PluginServices> = {
    plugins,
    reporters,
    services: () => {
      servicesBuilt++
      return simServices(sim, captured)
    },
    env: {},
    isTTY: false,
  }

  /** The CLI program, built once: each case only parses its arguments (1,000 cases, ~2,000 runs). */
  const program = makeCli(config, "test")

  /** Runs the CLI program in-process; returns its exit code and what it printed. */
  const inProcess = async (args: ReadonlyArray<string>) => {
    const out: Array<string> = []
    const log = vi
      .spyOn(console, "log")
      .mockImplementation((...a: Array<unknown>) => void out.push(a.join(" ")))
    const err = vi
      .spyOn(console, "error")
      .mockImplementation((...a: Array<unknown>) => void out.push(a.join(" ")))
    const status: { code: 0 | 1 | 2 | 3 | 4 } = { code: 0 }
    try {
      await Effect.runPromise(
        program(["node", "reconcile", ...args]).pipe(
          Effect.provideService(ExitStatus, status),
          Effect.provide(secretEnvFromRecord(canaries)),
          Effect.provide(NodeContext.layer),
        ),
      )
    } finally {
      log.mockRestore()
      err.mockRestore()
    }
    const text = out.join("\n")
    captured.push(text)
    return { code: status.code, text }
  }

  describe("bad input", () => {
    it(`${count} mutated manifests from #${first}: valid, or exit 1 with file:line:col, no stack trace, no request`, async () => {
      const dir = folderFor(
        { index: -1, file: "base.yaml", env: "", text: originals.get("base.yaml") ?? "", what: "" },
        join(root, "bulk"),
      )
      let valid = 0
      const invalid: Array<Case> = []
      for (let i = first; i < first + count; i++) {
        const c = caseOf(i)
        writeCase(c, dir)
        const checked = await inProcess(["validate", "--env", c.env, "--manifests", dir])
        expect(checked.text, describeCase(c)).not.toMatch(stackTrace)
        if (checked.code === 0) {
          valid++
          continue
        }
        invalid.push(c)
        const before = { built: servicesBuilt, requests: sim.requestLog().length }
        const planned = await inProcess(["--env", c.env, "--manifests", dir, "--dry-run"])
        const label = `${describeCase(c)}\n${planned.text.slice(0, 2000)}`
        expect({ validate: checked.code, plan: planned.code }, label).toEqual({ validate: 1, plan: 1 })
        expect(planned.text, label).toMatch(positioned)
        expect(planned.text, label).not.toMatch(stackTrace)
        expect({ built: servicesBuilt, requests: sim.requestLog().length }, label).toEqual(before)
      }
      // the generator must produce both kinds, mostly invalid ones (each file holds half the cases:
      // half of the whole run's bounds, 20 valid, 1,000 invalid, 200 hostile and 50 bad encodings)
      expect(valid).toBeGreaterThan(10)
      expect(invalid.length).toBeGreaterThan(count / 2)
      // hostile paths and bad encodings are among the invalid ones, in numbers
      const hostile = invalid.filter((c) =>
        /^set (metadata\.extends|spec\.database\.\w+\.dir) to /.test(c.what),
      )
      const encoded = invalid.filter((c) => c.bytes !== undefined)
      expect({ hostile: hostile.length > 100, encoded: encoded.length > 25 }).toEqual({
        hostile: true,
        encoded: true,
      })

      const sample = invalid
        .filter((_, i) => i % Math.floor(invalid.length / childSample) === 0)
        .slice(0, childSample)
      await pool(sample, 4, async (c) => {
        const folder = folderFor(c, join(root, `child-${c.index}`))
        const r = await runCliAsync(["--env", c.env, "--manifests", folder, "--dry-run"], {
          env: {
            HEROKU_API_URL: sim.url,
            HEROKU_DATA_API_URL: sim.url,
            HEROKU_API_KEY: simToken,
            ...canaries,
          },
        })
        const label = `${describeCase(c)} (bundled CLI)\n${r.stderr.slice(0, 2000)}`
        expect(r.code, label).toBe(1)
        expect(r.stderr, label).toMatch(positioned)
        expect(`${r.stdout}\n${r.stderr}`, label).not.toMatch(stackTrace)
      })
      expect(sim.requestLog()).toEqual([])
    }, 300_000)
  })
}
