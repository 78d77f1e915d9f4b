/** A stable fingerprint of a manifest: sha256 of its canonical JSON (keys sorted, no whitespace). */
import { createRequire } from "node:module"

// node:crypto is loaded on the first digest, not when this module loads: loading it is a measurable
// part of `reconcile validate`'s start, which never asks for a digest (load.ts computes it on demand)
const requireBuiltin = createRequire(import.meta.url)

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

/** Canonical JSON: the same data always gives the same text, whatever the key order. */
export const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value)) ?? "null"

export const digestOf = (value: unknown): string => {
  const crypto = requireBuiltin("node:crypto") as typeof import("node:crypto")
  return crypto.createHash("sha256").update(canonicalJson(value)).digest("hex")
}
