/** Pure helpers for the service list: grouping by category and price formatting. */
export interface Service {
  readonly id: string
  readonly name: string
  readonly category_id: string
  readonly category: string
  readonly duration_minutes: number
  readonly price_cents: number
}

/** Groups services by category, keeping the order the API returned them in. */
export const groupByCategory = (
  services: ReadonlyArray<Service>,
): ReadonlyArray<{ readonly category: string; readonly items: ReadonlyArray<Service> }> => {
  const groups = new Map<string, Service[]>()
  for (const s of services) {
    const list = groups.get(s.category) ?? []
    list.push(s)
    groups.set(s.category, list)
  }
  return [...groups].map(([category, items]) => ({ category, items }))
}

/** `4500` → `$45.00`. */
export const formatPrice = (cents: number): string => `$${(cents / 100).toFixed(2)}`
