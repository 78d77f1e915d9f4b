/** The GitHub service from its layer: a call reaches the API at the connection's URL with its token, and a failure never carries the token. */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultClientOptions } from "./client.ts"
import { GitHub, layer } from "./GitHub.ts"

const token = "ghs_s3cret-token-value"
const seen: Array<string | undefined> = []
const server = createServer((req, res) => {
  seen.push(req.headers.authorization)
  res.setHeader("content-type", "application/json")
  if (req.url === "/user") res.end(JSON.stringify({ login: "reconcile-bot" }))
  else {
    res.statusCode = 404
    res.end(JSON.stringify({ message: `Not Found (you sent ${token})` }))
  }
})
let apiUrl = ""

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const options = { ...defaultClientOptions, retries: 0, deadlineMs: 5_000, spaceWrites: false }

describe("GitHub service", () => {
  it("calls the API at the connection's URL with its token", async () => {
    const login = await Effect.runPromise(
      Effect.flatMap(GitHub, (gh) =>
        gh.call(async (o) => (await o.rest.users.getAuthenticated()).data.login),
      ).pipe(Effect.provide(layer({ apiUrl, token }, options))),
    )
    expect(login).toBe("reconcile-bot")
    expect(seen.at(-1)).toBe(`token ${token}`)
  })

  it("turns a failure into a GitHubFailure that never carries the token", async () => {
    const failure = await Effect.runPromise(
      Effect.flatMap(GitHub, (gh) => gh.call((o) => o.rest.repos.get({ owner: "a", repo: "b" }))).pipe(
        Effect.provide(layer({ apiUrl, token }, options)),
        Effect.flip,
      ),
    )
    expect(failure._tag).toBe("GitHubFailure")
    expect(failure.message).toContain("404")
    expect(failure.message).not.toContain(token)
  })
})
