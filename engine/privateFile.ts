/**
 * Files that hold secrets or data (saved plans, backups) are readable by their owner only: created
 * 0600, and an existing file is re-chmodded before anything is written into it (the mode given to
 * `open` applies only when the file is created).
 */
import { closeSync, fchmodSync, openSync, writeSync } from "node:fs"

export const privateMode = 0o600

/** Creates or truncates `file` as 0600 (re-chmodding an existing one) and returns its descriptor. */
export const openPrivate = (file: string): number => {
  const fd = openSync(file, "w", privateMode)
  try {
    fchmodSync(fd, privateMode)
  } catch (e) {
    closeSync(fd)
    throw e
  }
  return fd
}

/** Writes `data` to `file`, readable by its owner only. */
export const writePrivateFileSync = (file: string, data: string | Uint8Array): void => {
  const fd = openPrivate(file)
  try {
    const bytes = typeof data === "string" ? Buffer.from(data) : data
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
  } finally {
    closeSync(fd)
  }
}
