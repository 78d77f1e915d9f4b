/**
 * Keyed fingerprints. A secret is shown only as the first hex digits of an HMAC of its value, so a
 * reader sees *that* it changed, never what it is. The same keyed hash over a canonical JSON form of
 * everything observed lets a saved plan detect that live state moved on.
 */
import { createHmac, randomBytes } from "node:crypto"
import * as Redacted from "effect/Redacted"
import type { DisplayInput, DisplayScalar } from "../plugin/Plugin.ts"
import { type DisplayValue, type Scalar, SensitiveValue } from "./Step.ts"

/**
 * A fingerprint key: `RECONCILE_FINGERPRINT_KEY` when set (stable across runs), else random per
 * process. An empty value (a CI secret that is not configured) counts as unset: an empty key would
 * make fingerprints of weak secrets guessable.
 */
export const fingerprintKeyFromEnv = (env: Readonly<Record<string, string | undefined>>): string => {
  const key = env.RECONCILE_FINGERPRINT_KEY
  return key === undefined || key === "" ? randomBytes(32).toString("hex") : key
}

export const newNonce = (): string => randomBytes(16).toString("hex")

const hmac = (key: string, text: string): string => createHmac("sha256", key).update(text).digest("hex")

/** The short fingerprint shown for a secret value. */
export const fingerprintSecret = (key: string, value: string): string => hmac(key, value).slice(0, 12)

const toScalar = (key: string, v: DisplayScalar): Scalar =>
  Redacted.isRedacted(v) ? new SensitiveValue({ fingerprint: fingerprintSecret(key, Redacted.value(v)) }) : v

/** Turns a plugin's display value into plan data, fingerprinting every secret part. */
export const toDisplay = (key: string, input: DisplayInput): DisplayValue => {
  if (input === null || typeof input !== "object" || Redacted.isRedacted(input)) {
    return toScalar(key, input as DisplayScalar)
  }
  const out: Record<string, Scalar> = {}
  for (const [k, v] of Object.entries(input)) out[k] = toScalar(key, v)
  return out
}

/**
 * Deterministic JSON: object keys sorted, `Redacted` replaced by a keyed hash, Maps and Sets as sorted
 * arrays, undefined dropped. Used only for fingerprints, never for display.
 */
export const canonicalJson = (value: unknown, key: string): string => JSON.stringify(normalize(value, key))

const normalize = (value: unknown, key: string): unknown => {
  if (Redacted.isRedacted(value)) return { $secret: hmac(key, String(Redacted.value(value))) }
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => normalize(v, key))
  if (value instanceof Map) return normalize(Object.fromEntries(value), key)
  if (value instanceof Set) return [...value].map((v) => normalize(v, key)).sort()
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = normalize(v, key)
  }
  return out
}

/** The keyed fingerprint of an observed live state. */
export const fingerprintLive = (live: unknown, nonce: string): string =>
  hmac(nonce, canonicalJson(live, nonce))
