/** Pagination on its own, over a stub page reader: no HTTP, so each rule is shown in isolation. */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { type Page, readPages } from "./pages.ts"

/** A page reader answering from `pages` (by Range), recording every Range asked for. */
const stub = (pages: Readonly<Record<string, Page>>) => {
  const asked: Array<string> = []
  const fetchPage = (_path: string, range: string) => {
    asked.push(range)
    const page = pages[range]
    return page === undefined ? Effect.die(`no page for ${range}`) : Effect.succeed(page)
  }
  return { asked, fetchPage }
}

const Item = Schema.Struct({ id: Schema.Number })

describe("readPages", () => {
  it("asks for the given range first, then each Next-Range, and joins the items in order", async () => {
    const { asked, fetchPage } = stub({
      "version ..; max=2": { json: [{ id: 1 }, { id: 2 }], next: "version ]2..; max=2" },
      "version ]2..; max=2": { json: [{ id: 3 }], next: undefined },
    })
    const items = await Effect.runPromise(
      readPages("/apps/a/releases", Item, { field: "version", max: 2 }, 10, fetchPage),
    )
    expect(items).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(asked).toEqual(["version ..; max=2", "version ]2..; max=2"])
  })

  it("defaults to id with Heroku's 1,000 a page, and names the list in a shape failure", async () => {
    const { asked, fetchPage } = stub({ "id ..; max=1000": { json: [{ id: "x" }], next: undefined } })
    const result = await Effect.runPromise(Effect.either(readPages("/apps", Item, undefined, 10, fetchPage)))
    expect(asked).toEqual(["id ..; max=1000"])
    expect(Either.isLeft(result) && result.left.reason).toBe("Invalid")
    expect(Either.isLeft(result) && result.left.message).toMatch(/^GET \/apps: unexpected response shape/)
  })

  it("refuses a list longer than maxPages before asking for one page more", async () => {
    const pages: Record<string, Page> = {}
    for (let i = 0; i < 5; i++) pages[`id ]${i}..`] = { json: [{ id: i }], next: `id ]${i + 1}..` }
    pages["id ..; max=1000"] = { json: [{ id: -1 }], next: "id ]0.." }
    const { asked, fetchPage } = stub(pages)
    const result = await Effect.runPromise(Effect.either(readPages("/apps", Item, undefined, 3, fetchPage)))
    expect(asked).toHaveLength(3)
    expect(Either.isLeft(result) && result.left.message).toBe(
      "GET /apps: more than 3 pages; refusing to follow Next-Range further",
    )
  })
})
