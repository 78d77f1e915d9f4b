/** Load-time check of `database.migrations.dir`: a folder inside the repository (or not there yet). */
import { type CheckContext, type CrossCheckProblem, confine } from "../../engine/manifestSpec.ts"

export const migrationsProblems = (
  spec: Readonly<Record<string, unknown>>,
  where: CheckContext,
): ReadonlyArray<CrossCheckProblem> => {
  const dir = (spec.database as { migrations?: { dir?: unknown } } | undefined)?.migrations?.dir
  if (typeof dir !== "string") return []
  const found = confine(where.roots, dir, "folder")
  // a missing folder is reported when the run reads it
  if (found.ok || found.reason.endsWith(" not found")) return []
  return [
    {
      path: ["spec", "database", "migrations", "dir"],
      on: "value",
      message: `${found.reason}; paths must stay inside the repository`,
    },
  ]
}
