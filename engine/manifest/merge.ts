/**
 * Deep merge for `metadata.extends`: maps merge key by key, anything else (lists, scalars) replaces.
 * A reference (`{ fromEnv: NAME }`, `{ fromConfigVar: NAME }`) is one value, not a map of options:
 * on either side it is replaced whole, so an override can switch `{ fromConfigVar: DATABASE_URL }`
 * to `{ fromEnv: DIRECT_URL }` (or to a literal) without the two keys meeting in one map.
 */

const isMap = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The keys that make a map a reference to a value held elsewhere. */
export const referenceKeys: ReadonlyArray<string> = ["fromEnv", "fromConfigVar"]

/** Whether `value` is written in a reference form (a map with a `from…` key). */
export const isReference = (value: unknown): boolean =>
  isMap(value) && referenceKeys.some((k) => Object.hasOwn(value, k))

/** `override` laid over `base`. Own keys only; `__proto__` and friends stay plain data. */
export const deepMerge = (base: unknown, override: unknown): unknown => {
  if (!isMap(base) || !isMap(override) || isReference(base) || isReference(override)) return override
  const keys = [...Object.keys(base), ...Object.keys(override).filter((k) => !Object.hasOwn(base, k))]
  return Object.fromEntries(
    keys.map((k) => [
      k,
      Object.hasOwn(override, k)
        ? Object.hasOwn(base, k)
          ? deepMerge(base[k], override[k])
          : override[k]
        : base[k],
    ]),
  )
}
