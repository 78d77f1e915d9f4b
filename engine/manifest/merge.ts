/** Deep merge for `metadata.extends`: maps merge key by key, anything else (lists, scalars) replaces. */

const isMap = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `override` laid over `base`. Own keys only; `__proto__` and friends stay plain data. */
export const deepMerge = (base: unknown, override: unknown): unknown => {
  if (!isMap(base) || !isMap(override)) return override
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
