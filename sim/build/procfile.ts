/** Reads process types from a Procfile, with the Node.js buildpack's default `web: npm start`. */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"

export const processTypes = (slugDir: string): Record<string, string> => {
  const procfile = join(slugDir, "Procfile")
  if (existsSync(procfile)) {
    const types: Record<string, string> = {}
    for (const line of readFileSync(procfile, "utf8").split(/\r?\n/)) {
      const m = /^([-\w]{1,128}):\s*(.+)$/.exec(line.trim())
      if (m !== null) types[m[1]!] = m[2]!.trim()
    }
    return types
  }
  return existsSync(join(slugDir, "package.json")) ? { web: "npm start" } : {}
}
