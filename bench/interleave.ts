/**
 * Interleaved measurement: a subject and its baseline run alternately (A B A B ...), so that a
 * change in the machine's load hits both sides of a pair alike. The figure is the median of the
 * pairwise ratios, reported with their spread (min–max) and the load average before and after; a
 * spread wider than 30% of the median marks the figure as noisy.
 *
 * A run resolves to `elapsed(ms)` when it times only part of itself (e.g. after creating a fresh
 * database); otherwise the whole call is timed.
 */
import { loadavg } from "node:os"

/** What a run may resolve to: the time it measured itself, excluding its own setup. */
export interface Elapsed {
  readonly elapsedMs: number
}

/** A run that measured itself: `return elapsed(performance.now() - t0)`. */
export const elapsed = (ms: number): Elapsed => ({ elapsedMs: ms })

/** One side of a pair; `i` is the pair's index (warm-up runs get -1, -2, ...). */
export type Run = (i: number) => Promise<unknown>

export interface InterleaveOptions {
  readonly subject: Run
  readonly baseline: Run
  /** Measured pairs; at least 7 (default 7). */
  readonly pairs?: number
  /** Unmeasured pairs first, to warm caches and the JIT (default 1). */
  readonly warmup?: number
  /** Spread (max − min of the pairwise ratios, relative to their median) above which it is noisy. */
  readonly noisyAbove?: number
}

export interface Interleaved {
  readonly pairs: number
  /** Milliseconds of each measured run, in order. */
  readonly subjectMs: ReadonlyArray<number>
  readonly baselineMs: ReadonlyArray<number>
  /** subject / baseline for each pair. */
  readonly ratios: ReadonlyArray<number>
  readonly subjectMedianMs: number
  readonly baselineMedianMs: number
  /** Median of the pairwise ratios subject / baseline (> 1: the subject is slower). */
  readonly ratio: number
  readonly spread: { readonly min: number; readonly max: number }
  /** (max − min) / median of the pairwise ratios. */
  readonly spreadRelative: number
  readonly noisy: boolean
  /** 1-minute load average before the first and after the last run. */
  readonly load: { readonly before: number; readonly after: number }
}

/** Median of a non-empty list. */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const timeRun = async (run: Run, i: number): Promise<number> => {
  const t0 = performance.now()
  const r = await run(i)
  const wall = performance.now() - t0
  return typeof r === "object" && r !== null && typeof (r as Elapsed).elapsedMs === "number"
    ? (r as Elapsed).elapsedMs
    : wall
}

/** Runs subject and baseline alternately and summarises the pairwise ratios. */
export const interleave = async (options: InterleaveOptions): Promise<Interleaved> => {
  const pairs = Math.max(7, options.pairs ?? 7)
  const warmup = options.warmup ?? 1
  const noisyAbove = options.noisyAbove ?? 0.3
  for (let w = 1; w <= warmup; w++) {
    await options.subject(-w)
    await options.baseline(-w)
  }
  const before = loadavg()[0]!
  const subjectMs: Array<number> = []
  const baselineMs: Array<number> = []
  for (let i = 0; i < pairs; i++) {
    subjectMs.push(await timeRun(options.subject, i))
    baselineMs.push(await timeRun(options.baseline, i))
  }
  const after = loadavg()[0]!
  return summarise(subjectMs, baselineMs, { before, after }, noisyAbove)
}

/** The summary of measured pairs (exported for tests and for benches that time pairs themselves). */
export const summarise = (
  subjectMs: ReadonlyArray<number>,
  baselineMs: ReadonlyArray<number>,
  load: { readonly before: number; readonly after: number },
  noisyAbove = 0.3,
): Interleaved => {
  const ratios = subjectMs.map((s, i) => s / Math.max(baselineMs[i]!, 1e-6))
  const ratio = median(ratios)
  const min = Math.min(...ratios)
  const max = Math.max(...ratios)
  const spreadRelative = (max - min) / ratio
  return {
    pairs: ratios.length,
    subjectMs,
    baselineMs,
    ratios,
    subjectMedianMs: median(subjectMs),
    baselineMedianMs: median(baselineMs),
    ratio,
    spread: { min, max },
    spreadRelative,
    noisy: spreadRelative > noisyAbove,
    load,
  }
}

/** "1.13× (spread 1.05–1.22×, 9 pairs, load 1.2 → 1.4)"; `invert` reports baseline / subject. */
export const describe = (r: Interleaved, invert = false): string => {
  const f = (x: number) => (invert ? 1 / x : x)
  const [lo, hi] = invert ? [f(r.spread.max), f(r.spread.min)] : [r.spread.min, r.spread.max]
  return `${f(r.ratio).toFixed(2)}× (spread ${lo.toFixed(2)}–${hi.toFixed(2)}×${r.noisy ? ", noisy" : ""}, ${r.pairs} interleaved pairs, load ${r.load.before.toFixed(1)} → ${r.load.after.toFixed(1)})`
}
