/**
 * `reconcile init [--dir DIR] [--force]`: scaffolds an existing app's repository — manifests for
 * base, local, staging and production, the three workflows using the Action, `.reconcile/` in
 * .gitignore — and prints what it inferred and what the user must still decide. What it does,
 * once parsed; commandLine.ts defines it.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { ExitCode, reportErrors, setExitCode } from "../engine/index.ts"
import { readFacts } from "./facts.ts"
import { infer } from "./infer.ts"
import { initManifests, renderManifest } from "./manifests.ts"
import { initWorkflows } from "./workflows.ts"
import { gitignoreFile, type PlannedFile, writeFiles } from "./write.ts"

/** The files `init` writes for the app in `dir`, and what it inferred. */
export const initPlan = (dir: string, packageName: string) =>
  Effect.map(readFacts(dir), (facts) => {
    const inference = infer(facts)
    const manifests: ReadonlyArray<PlannedFile> = initManifests(inference).map((m) => ({
      path: `manifests/${m.name}.yaml`,
      text: renderManifest(packageName, m),
    }))
    const secrets = Object.keys(inference.localVars)
    const test = facts.packageJson?.scripts.test === undefined ? undefined : "npm test"
    const workflows = initWorkflows(packageName, secrets, test)
    return { inference, files: [...manifests, ...workflows.map((w) => ({ path: w.path, text: w.text }))] }
  })

const done = { create: "created", overwrite: "overwrote", update: "updated", unchanged: "kept" } as const

/** `reconcile init`, once parsed (commandLine.ts defines it). */
export const initHandler = (packageName: string, flags: { readonly dir: string; readonly force: boolean }) =>
  reportErrors(
    Effect.gen(function* () {
      const { inference, files } = yield* initPlan(flags.dir, packageName)
      const results = yield* writeFiles(flags.dir, [...files, gitignoreFile(flags.dir)], {
        force: flags.force,
        guarded: ["manifests"],
      })
      const changed = results.filter((r) => r.action !== "unchanged")
      const lines = [
        ...(changed.length === 0
          ? ["Nothing to change: every file is already as init would write it."]
          : changed.map((r) => `${done[r.action]} ${r.path}`)),
        "",
        "Inferred:",
        ...inference.inferred.map((i) => `  - ${i}`),
        "",
        "Still yours to decide:",
        ...inference.decide.map((d) => `  - ${d}`),
        "",
        "Next: npx reconcile --env local, then npx reconcile --env staging --dry-run",
      ]
      yield* Console.log(lines.join("\n"))
      yield* setExitCode(ExitCode.ok)
    }),
  )
