/** Compact elapsed times for people: `850ms`, `1.2s`, `2m 05s`, `1h 02m`. */

/** Formats milliseconds compactly; negative or non-finite input counts as zero. */
export const formatDuration = (ms: number): string => {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0
  const millis = Math.round(safe)
  if (millis < 1000) return `${millis}ms`
  const tenths = Math.round(safe / 100)
  if (tenths < 600) return `${(tenths / 10).toFixed(1).replace(/\.0$/, "")}s`
  const seconds = Math.round(safe / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`
  const minutes = Math.round(safe / 60_000)
  return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`
}

const pad = (n: number): string => String(n).padStart(2, "0")
