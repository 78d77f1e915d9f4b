/**
 * vitest globalSetup: builds the CLI bundle once (dist/test/reconcile.mjs), so end-to-end tests run
 * the same single file users get (plus the test stand-in plugins), as real child processes.
 */
import { spawnSync } from "node:child_process"
import type { TestProject } from "vitest/node"

export const testBundle = "dist/test/reconcile.mjs"

export default function setup(project: TestProject): void {
  const r = spawnSync(
    process.execPath,
    ["scripts/build.mjs", "--outfile", testBundle, "--entry", "test/stand-ins/reconcile.ts"],
    { encoding: "utf8" },
  )
  if (r.status !== 0) throw new Error(`building the CLI bundle failed:\n${r.stdout}\n${r.stderr}`)
  project.provide("cliBundle", testBundle)
}

declare module "vitest" {
  export interface ProvidedContext {
    cliBundle: string
  }
}
