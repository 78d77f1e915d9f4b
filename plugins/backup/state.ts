/** What the backup plugin remembers for one run (RunState keys). */
import { runKey } from "../../engine/index.ts"

/** The newest transfer number before this run's pending backup was first attempted (see heroku.ts: a retry adopts the capture above it). */
export const firstAttempt = runKey<number>("backup.firstAttempt")

/** Set once this run took a backup (`always: true` means once per apply run). */
export const taken = runKey<true>("backup.taken")
