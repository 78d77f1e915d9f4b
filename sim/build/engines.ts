/**
 * Does a Node version satisfy a package's `engines.node` range? Covers the forms package.json files
 * use (`>=20`, `^20.1`, `~20.11.0`, `20.x`, `20`, `>=18 <23`, `a || b`, `*`); anything else is
 * reported as not understood rather than guessed.
 */

type Version = readonly [number, number, number]

const parse = (text: string): Version | null => {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(text.trim())
  if (m === null) return null
  const n = (s: string | undefined) => (s === undefined || s === "x" || s === "*" ? 0 : Number(s))
  return [Number(m[1]), n(m[2]), n(m[3])]
}

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/** Precision of a partial version: `20` → 1, `20.1` → 2, `20.1.2` → 3 (wildcards end it). */
const precision = (text: string): number => text.split(".").filter((p) => /^\d+$/.test(p)).length

const comparator = (token: string, v: Version): boolean | null => {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(token)
  if (m === null) return null
  const target = parse(m[2]!)
  if (target === null) return null
  const c = cmp(v, target)
  const digits = precision(m[2]!.replace(/^v/, ""))
  const upper = (level: number): Version =>
    level === 0
      ? [target[0] + 1, 0, 0]
      : level === 1
        ? [target[0], target[1] + 1, 0]
        : [target[0], target[1], target[2] + 1]
  switch (m[1]) {
    case ">=":
      return c >= 0
    case ">":
      return c > 0
    case "<=":
      return c <= 0
    case "<":
      return c < 0
    case "^":
      return (
        c >= 0 && cmp(v, upper(target[0] > 0 || digits < 2 ? 0 : target[1] > 0 || digits < 3 ? 1 : 2)) < 0
      )
    case "~":
      return c >= 0 && cmp(v, upper(digits < 2 ? 0 : 1)) < 0
    default:
      return c >= 0 && cmp(v, upper(Math.max(0, Math.min(digits, 3) - 1))) < 0
  }
}

/** True or false when the range is understood, null when it is not. */
export const satisfies = (version: string, range: string): boolean | null => {
  const v = parse(version)
  if (v === null) return null
  let understood = true
  const any = range.split("||").some((alternative) => {
    const tokens = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
    if (tokens.length === 1 && (tokens[0] === "" || tokens[0] === "*" || tokens[0] === "x")) return true
    return tokens.every((t) => {
      const r = comparator(t, v)
      if (r === null) understood = false
      return r === true
    })
  })
  return any ? true : understood ? false : null
}
