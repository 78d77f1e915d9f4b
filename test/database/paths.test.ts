/**
 * Paths a manifest or dataset names stay inside the repository: dataset folders and files, migration
 * folders (load-time `file:line:col` problems) and export targets (refused before anything is written).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { afterAll, describe, expect, it } from "vitest"
import { checksOf, sectionsOf } from "../../engine/cli/session.ts"
import { PluginError } from "../../engine/errors.ts"
import { formatProblem, loadManifest, secretEnvFromRecord } from "../../engine/manifest/index.ts"
import type { AnyPlugin } from "../../engine/plugin/Plugin.ts"
import type { PluginServices } from "../../plugins/index.ts"
import { migrationsPlugin } from "../../plugins/migrations/plugin.ts"
import { exportReferenceData } from "../../plugins/reference-data/export.ts"
import { referenceDataPlugin } from "../../plugins/reference-data/plugin.ts"
import { layer as databaseLayer } from "../../services/database/Database.ts"
import { HerokuApi, unavailable } from "../../services/heroku/HerokuApi.ts"

const plugins: ReadonlyArray<AnyPlugin<PluginServices>> = [migrationsPlugin, referenceDataPlugin]
const scratch = mkdtempSync(join(tmpdir(), "rd-paths-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const outside = join(scratch, "outside.csv")
writeFileSync(outside, "id,secret\n1,canary-outside\n")

/** A repository: manifests/test.yaml with the given database lines, data/ with the given files. */
const repo = (database: string, files: Record<string, string> = {}) => {
  const root = mkdtempSync(join(scratch, "repo-"))
  mkdirSync(join(root, "manifests"))
  mkdirSync(join(root, "data"))
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, "data", name), body)
  writeFileSync(
    join(root, "manifests", "test.yaml"),
    `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: test }\nspec:\n  database:\n    url: { fromEnv: DB_URL }\n    backup: { provider: none }\n${database.replace("__ROOT__", root)}`,
  )
  return root
}

const problemsOf = (root: string) =>
  Effect.runPromise(
    loadManifest({
      dir: join(root, "manifests"),
      env: "test",
      sections: sectionsOf(plugins),
      checks: checksOf(plugins),
    }).pipe(
      Effect.provide(secretEnvFromRecord({ DB_URL: "postgres://x@127.0.0.1:9/x" })),
      Effect.match({ onFailure: (e) => e.problems.map(formatProblem), onSuccess: () => [] }),
    ),
  )

const dataset = (file: string) => ({
  "dataset.yaml": `tables:\n  - { table: t, file: ${JSON.stringify(file)}, primaryKey: [id] }\n`,
})

describe("paths stay inside the repository", () => {
  it("a dataset folder or migrations folder outside is a positioned error, not a warning", async () => {
    const rd = await problemsOf(repo(`    referenceData: { dir: /etc, version: v1 }\n`))
    expect(rd).toEqual([
      expect.stringMatching(/test\.yaml:8:27: spec\.database\.referenceData\.dir: \/etc is outside/),
    ])
    const up = await problemsOf(repo(`    referenceData: { dir: ../../.., version: v1 }\n`))
    expect(up[0]).toMatch(/spec\.database\.referenceData\.dir: \.\.\/\.\.\/\.\. is outside/)
    const mig = await problemsOf(repo(`    migrations: { dir: ../../../etc, target: latest }\n`))
    expect(mig).toEqual([
      expect.stringMatching(
        /test\.yaml:8:24: spec\.database\.migrations\.dir: \.\.\/\.\.\/\.\.\/etc is outside/,
      ),
    ])
    const root = repo(`    migrations: { dir: __ROOT__/linked, target: latest }\n`)
    symlinkSync(scratch, join(root, "linked"))
    expect((await problemsOf(root))[0]).toMatch(/migrations\.dir: .*linked resolves to .*, outside/)
  })

  it("a dataset file outside, behind a symlink, or not a regular file is an error in dataset.yaml", async () => {
    for (const [file, says] of [
      ["/etc/passwd", "is outside"],
      ["../../outside.csv", "is outside"],
      ["link.csv", "resolves to"],
      ["fifo.csv", "a FIFO"],
    ] as const) {
      const root = repo(`    referenceData: { dir: __ROOT__/data, version: v1 }\n`, dataset(file))
      symlinkSync(outside, join(root, "data", "link.csv"))
      execFileSync("mkfifo", [join(root, "data", "fifo.csv")])
      const problems = await problemsOf(root)
      expect(problems, file).toEqual([expect.stringMatching(/data\/dataset\.yaml:2:23: tables\[0\]\.file: /)])
      expect(problems[0], file).toContain(says)
      expect(problems.join("\n")).not.toContain("canary-outside")
    }
    // inside: fine (a missing file is left to the run, which reports it; export creates it)
    expect(
      await problemsOf(repo(`    referenceData: { dir: __ROOT__/data, version: v1 }\n`, dataset("t.csv"))),
    ).toEqual([])
  })

  it("export refuses targets outside the repository or behind a symlink, before writing anything", async () => {
    const run = async (root: string, file: string) => {
      writeFileSync(join(root, "data", "dataset.yaml"), dataset(file)["dataset.yaml"])
      const ctx = {
        env: "test",
        manifestDir: join(root, "manifests"),
        dryRun: false,
        spec: {
          database: {
            url: Redacted.make("postgres://x@127.0.0.1:9/x"),
            referenceData: { dir: join(root, "data"), version: "v1" },
          },
        },
      }
      const api = unavailable(new PluginError({ reason: "Unauthorized", detail: "no API here" }))
      return Effect.runPromise(
        exportReferenceData(ctx).pipe(
          Effect.provideService(HerokuApi, api),
          Effect.provide(databaseLayer),
          Effect.match({ onFailure: (e) => e.detail, onSuccess: (s) => s }),
        ),
      )
    }
    const root = repo(`    referenceData: { dir: __ROOT__/data, version: v1 }\n`)
    expect(await run(root, "../../outside.csv")).toMatch(/refusing to export to .*outside\.csv: .*outside/)
    symlinkSync(outside, join(root, "data", "link.csv"))
    expect(await run(root, "link.csv")).toMatch(/refusing to export to .*link\.csv: it is a symlink/)
    mkdirSync(join(root, "data", "sub"))
    symlinkSync(scratch, join(root, "data", "sub", "out"))
    expect(await run(root, "sub/out/outside.csv")).toMatch(/refusing to export .*resolves to/)
    expect(readFileSync(outside, "utf8")).toBe("id,secret\n1,canary-outside\n")
  })
})
