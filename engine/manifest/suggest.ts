/** "Did you mean" suggestions for unknown keys. */

const levenshtein = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** The closest allowed key (edit distance ≤ 2, or one is a prefix of the other), if any. */
export const suggest = (key: string, allowed: ReadonlyArray<string>): string | undefined => {
  const lower = key.toLowerCase()
  let best: { readonly name: string; readonly score: number } | undefined
  for (const name of allowed) {
    const candidate = name.toLowerCase()
    const distance = levenshtein(lower, candidate)
    const prefix =
      Math.min(lower.length, candidate.length) >= 3 &&
      (candidate.startsWith(lower) || lower.startsWith(candidate))
    if (distance > 2 && !prefix) continue
    const score = distance <= 2 ? distance : 3
    if (best === undefined || score < best.score) best = { name, score }
  }
  return best?.name
}

/**
 * Up to `count` names from `allowed` closest to `name` (case-insensitive edit distance, a shared
 * prefix first), for "did you mean" lines where something must be suggested.
 */
export const closest = (name: string, allowed: ReadonlyArray<string>, count = 3): ReadonlyArray<string> => {
  const lower = name.toLowerCase()
  const score = (candidate: string) => {
    const c = candidate.toLowerCase()
    const shared = [...lower].findIndex((ch, i) => c[i] !== ch)
    const prefix = shared === -1 ? lower.length : shared
    return levenshtein(lower, c) - Math.min(prefix, 3)
  }
  return [...allowed]
    .map((candidate) => ({ candidate, score: score(candidate) }))
    .sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, count)
    .map((s) => s.candidate)
}
