/**
 * Positions a schema problem in the extends chain: the most derived file that has the exact path
 * supplied its value (maps merge, lists replace), else the nearest ancestor path that exists.
 */
import { formatPath, type PathIssue } from "./issues.ts"
import type { Problem } from "./Problem.ts"
import { type ManifestFile, pathKey } from "./yamlFile.ts"

export const locate = (files: ReadonlyArray<ManifestFile>, issue: PathIssue): Problem => {
  const path = formatPath(issue.path)
  for (let n = issue.path.length; n >= 0; n--) {
    const key = pathKey(issue.path.slice(0, n))
    for (const file of files) {
      const found = file.positions.get(key)
      if (found === undefined) continue
      const exact = n === issue.path.length
      const pos = exact && issue.at === "value" ? found.value : (found.key ?? found.value)
      return { file: file.file, line: pos.line, col: pos.col, path, message: issue.message }
    }
  }
  return { file: files[0]?.file ?? "", line: 1, col: 1, path, message: issue.message }
}
