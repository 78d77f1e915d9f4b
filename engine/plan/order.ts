/**
 * Waves: the fixed order in which parts of a release are converged. One comparator orders steps:
 * wave, then address. Steps of one wave may run concurrently; a failed wave stops later waves.
 */
import * as Schema from "effect/Schema"

export const waves = [
  "app",
  "addons",
  "config",
  "backup",
  "migrations",
  "reference-data",
  "release",
  "formation",
  "health",
  "notify",
] as const

export const Wave = Schema.Literal(...waves)
export type Wave = typeof Wave.Type

export const waveIndex = (wave: Wave): number => waves.indexOf(wave)

/** The single ordering comparator for steps: wave first, then address. */
export const compareSteps = (
  a: { readonly wave: Wave; readonly address: string },
  b: { readonly wave: Wave; readonly address: string },
): number =>
  waveIndex(a.wave) - waveIndex(b.wave) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)
