/**
 * Lists, page by page: an explicit Range on the first request, then each Next-Range of a 206 until
 * a full answer. A list that would never end is refused: more than `maxPages` pages, a partial page
 * with no items, or a Next-Range asked for before.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { PluginError } from "../../engine/index.ts"
import { decodeAs, failure } from "./failures.ts"

/** One answered GET: its JSON body and, for a partial list, the Range of the next page. */
export interface Page {
  readonly json: unknown
  readonly next: string | undefined
}

/** Which field a list is ranged on and how many items a page may hold (Heroku's default 1,000). */
export interface ListRange {
  readonly field: string
  readonly max?: number
}

/** Every item of the list at `path`, reading its pages with `fetchPage`. */
export const readPages = <A, I>(
  path: string,
  item: Schema.Schema<A, I>,
  range: ListRange | undefined,
  maxPages: number,
  fetchPage: (path: string, range: string) => Effect.Effect<Page, PluginError>,
): Effect.Effect<ReadonlyArray<A>, PluginError> =>
  Effect.gen(function* () {
    const what = `GET ${path}`
    const items: Array<A> = []
    const seen = new Set<string>()
    let next: string | undefined = `${range?.field ?? "id"} ..; max=${range?.max ?? 1000}`
    while (next !== undefined) {
      if (seen.size >= maxPages) {
        return yield* Effect.fail(
          failure(what, "Invalid", `more than ${maxPages} pages; refusing to follow Next-Range further`),
        )
      }
      seen.add(next)
      const page: Page = yield* fetchPage(path, next)
      const got = yield* decodeAs(what, Schema.Array(item))(page.json)
      items.push(...got)
      next = page.next
      // a partial answer must make progress: new items and a Range not asked for before
      if (next !== undefined && (got.length === 0 || seen.has(next))) {
        return yield* Effect.fail(
          failure(
            what,
            "Invalid",
            got.length === 0
              ? "pagination does not advance (a partial page with no items)"
              : `pagination does not advance (Next-Range "${next.slice(0, 80)}" was already requested)`,
          ),
        )
      }
    }
    return items
  })
