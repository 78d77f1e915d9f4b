/** What a handler returns: one JSON body, or a list the server pages through with `Range`. */
export type Reply =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown }
  | {
      readonly kind: "list"
      readonly items: readonly Record<string, unknown>[]
      /** Sortable fields; the first is the default. */
      readonly fields: readonly string[]
    }

export const json = (body: unknown, status = 200): Reply => ({ kind: "json", status, body })

export const created = (body: unknown): Reply => ({ kind: "json", status: 201, body })

export const list = (
  items: readonly Record<string, unknown>[],
  fields: readonly string[] = ["id"],
): Reply => ({
  kind: "list",
  items,
  fields,
})
