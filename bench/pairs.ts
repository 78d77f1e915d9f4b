/**
 * Subject and baseline run interleaved (A B A B ...), at least 7 measured pairs after a warm-up
 * pair, so that the machine's load hits both sides of a pair alike; the figure is the median of the
 * pairwise ratios with their spread (min–max). Same shape as bench/interleave.ts (branch perf), so
 * the two can be folded into one.
 */
import { loadavg } from "node:os"
import { median } from "./support.ts"

export interface Pairs {
  /** subject / baseline for each measured pair. */
  readonly ratios: ReadonlyArray<number>
  readonly subjectMs: ReadonlyArray<number>
  readonly baselineMs: ReadonlyArray<number>
  /** Median pairwise ratio subject / baseline (> 1: the subject is slower). */
  readonly ratio: number
  readonly spread: { readonly min: number; readonly max: number }
  /** (max − min) / median: above 0.3 the figure is noisy. */
  readonly noisy: boolean
  readonly load: { readonly before: number; readonly after: number }
}

const timed = async (f: () => Promise<unknown>) => {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

/** Runs `subject(i)` and `baseline(i)` alternately: one warm-up pair, then `pairs` (>= 7) measured. */
export const interleavePairs = async (options: {
  readonly subject: (i: number) => Promise<unknown>
  readonly baseline: (i: number) => Promise<unknown>
  readonly pairs?: number
}): Promise<Pairs> => {
  const n = Math.max(7, options.pairs ?? 7)
  await options.subject(-1)
  await options.baseline(-1)
  const before = loadavg()[0]!
  const subjectMs: Array<number> = []
  const baselineMs: Array<number> = []
  for (let i = 0; i < n; i++) {
    subjectMs.push(await timed(() => options.subject(i)))
    baselineMs.push(await timed(() => options.baseline(i)))
  }
  const ratios = subjectMs.map((s, i) => s / baselineMs[i]!)
  const ratio = median(ratios)
  const spread = { min: Math.min(...ratios), max: Math.max(...ratios) }
  return {
    ratios,
    subjectMs,
    baselineMs,
    ratio,
    spread,
    noisy: (spread.max - spread.min) / ratio > 0.3,
    load: { before, after: loadavg()[0]! },
  }
}

/** "1.32× (spread 1.21–1.45×, 7 interleaved pairs, load 1.2 → 1.4)". */
export const describePairs = (p: Pairs): string =>
  `${p.ratio.toFixed(2)}× (spread ${p.spread.min.toFixed(2)}–${p.spread.max.toFixed(2)}×${p.noisy ? ", noisy" : ""}, ${p.ratios.length} interleaved pairs, load ${p.load.before.toFixed(1)} → ${p.load.after.toFixed(1)})`
