/**
 * GitHub Actions workflow commands for manifest problems: `::error file=F,line=L,col=C::message`
 * lines on stdout, which the runner turns into annotations on the offending file. Data and
 * properties are escaped as the Actions toolkit does, so no message can inject a command.
 */
import { isAbsolute, relative } from "node:path"
import type { Problem } from "../../engine/index.ts"

/** Escapes a command's message: `%`, `\r`, `\n`. */
export const escapeData = (s: string): string =>
  s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")

/** Escapes a property value: as data, plus `:` and `,`. */
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C")

/** One `::error` workflow command. */
export const errorCommand = (
  properties: Readonly<Record<string, string | number>>,
  message: string,
): string => {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",")
  return `::error ${props}::${escapeData(message)}`
}

/** The file as the runner wants it: relative to the workspace when it lies inside it. */
const repoPath = (file: string, workspace: string | undefined): string => {
  if (workspace === undefined || !isAbsolute(file)) return file
  const rel = relative(workspace, file)
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel
}

/** The annotation for one manifest problem. */
export const problemAnnotation = (problem: Problem, workspace: string | undefined): string =>
  errorCommand(
    {
      file: repoPath(problem.file, workspace),
      line: problem.line,
      col: problem.col,
      title: "reconcile manifest",
    },
    problem.path === "" ? problem.message : `${problem.path}: ${problem.message}`,
  )
