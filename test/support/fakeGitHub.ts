/**
 * A small fake of the GitHub REST API for reporter tests, served over real HTTP on 127.0.0.1: issues
 * (pull requests are issues with `pull_request`), issue comments, deployments and their statuses,
 * with token checks, `Link` pagination, and faults (500s, hangs, rate limits). Every request is
 * recorded, body included, so tests can check what was sent. Issues and comments have authors:
 * what the token writes is authored by its identity, which is `github-actions[bot]` (an Actions
 * installation token: `GET /user` answers 403) unless `setIdentity` makes it a user token.
 * `await fake.close()` when done.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly body: string
}
export interface FakeIssue {
  number: number
  title: string
  body: string
  state: "open" | "closed"
  state_reason: string | null
  labels: Array<{ name: string }>
  pull_request?: { url: string }
  /** Who opened it (default: someone else, `octocat`). */
  user?: string
}
export interface FakeComment {
  readonly id: number
  readonly issue: number
  body: string
  /** Who wrote it (default: someone else, `octocat`). */
  readonly user?: string
}
export interface FakeDeployment {
  readonly id: number
  readonly ref: string
  readonly environment: string
  readonly statuses: Array<{
    state: string
    log_url?: string
    environment_url?: string
    description?: string
  }>
}
export type Fault = "error500" | "hang" | "rateLimit" | "secondaryRateLimit"

export interface FakeGitHub {
  readonly url: string
  readonly token: string
  readonly owner: string
  readonly repo: string
  readonly requests: Array<RecordedRequest>
  readonly issues: Array<FakeIssue>
  readonly comments: Array<FakeComment>
  readonly deployments: Array<FakeDeployment>
  /** Answers the next `times` requests (every one when omitted) with `fault`; `undefined` clears it. */
  fault(fault: Fault | undefined, times?: number): void
  /** Adds a pull request (an issue with `pull_request`); returns its number. */
  addPullRequest(): number
  /** Adds `n` unrelated issues, to make listings span pages. */
  addIssues(n: number): void
  /** Adds an issue opened by `user` (default someone else); returns its number. */
  addIssue(extra: Partial<FakeIssue>): number
  /** The token's identity: a user token (`GET /user` answers `login`), or an installation token (403). */
  setIdentity(identity: { readonly user: string } | "installation"): void
  /** The login what the token writes is authored by. */
  readonly login: () => string
  close(): Promise<void>
}

type Reply = readonly [status: number, body: unknown, headers?: Record<string, string>]

export const startFakeGitHub = async (): Promise<FakeGitHub> => {
  const token = "ghs_fake-token"
  const [owner, repo] = ["acme", "app"]
  const requests: Array<RecordedRequest> = []
  const issues: Array<FakeIssue> = []
  const comments: Array<FakeComment> = []
  const deployments: Array<FakeDeployment> = []
  let ids = 1000
  let fault: { kind: Fault; left: number } | undefined
  let base = ""
  let identity: { readonly user: string } | "installation" = "installation"
  const login = () => (identity === "installation" ? "github-actions[bot]" : identity.user)
  const userJson = (name: string | undefined) => ({
    login: name ?? "octocat",
    type: (name ?? "").endsWith("[bot]") ? "Bot" : "User",
  })

  const issueJson = ({ user, ...i }: FakeIssue) => ({
    ...i,
    id: i.number + 5000,
    html_url: `${base}/issues/${i.number}`,
    user: userJson(user),
  })
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    html_url: `${base}/comments/${c.id}`,
    user: userJson(c.user),
  })

  const page = (url: URL, items: ReadonlyArray<unknown>): Reply => {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30))
    const n = Number(url.searchParams.get("page") ?? 1)
    const headers: Record<string, string> = {}
    if (n * perPage < items.length) {
      const next = new URL(url)
      next.searchParams.set("page", String(n + 1))
      headers.link = `<${base}${next.pathname}${next.search}>; rel="next"`
    }
    return [200, items.slice((n - 1) * perPage, n * perPage), headers]
  }

  const faultReply = (kind: Fault): Reply | "hang" => {
    if (kind === "hang") return "hang"
    if (kind === "error500") return [500, { message: "Server Error" }]
    if (kind === "secondaryRateLimit") {
      return [403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" }]
    }
    const reset = String(Math.ceil(Date.now() / 1000) + 1)
    return [
      403,
      { message: "API rate limit exceeded" },
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
    ]
  }

  const route = (method: string, url: URL, body: Record<string, unknown>): Reply => {
    if (method === "GET" && url.pathname === "/user") {
      return identity === "installation"
        ? [403, { message: "Resource not accessible by integration" }]
        : [200, { login: identity.user, type: "User" }]
    }
    const prefix = `/repos/${owner}/${repo}`
    if (!url.pathname.startsWith(`${prefix}/`)) return [404, { message: "Not Found" }]
    const parts = url.pathname.slice(prefix.length + 1).split("/")
    const issue = (n: string | undefined) => issues.find((i) => i.number === Number(n))
    const key = `${method} ${parts.map((p) => (/^\d+$/.test(p) ? ":n" : p)).join("/")}`
    switch (key) {
      case "GET issues": {
        const state = url.searchParams.get("state") ?? "open"
        const labels = (url.searchParams.get("labels") ?? "").split(",").filter((l) => l !== "")
        const listed = issues
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
          .sort((a, b) => b.number - a.number)
        return page(url, listed.map(issueJson))
      }
      case "POST issues": {
        const labels = Array.isArray(body.labels) ? body.labels.map((name) => ({ name: String(name) })) : []
        const created: FakeIssue = {
          number: issues.length + 1,
          title: String(body.title),
          body: String(body.body ?? ""),
          state: "open",
          state_reason: null,
          labels,
          user: login(),
        }
        issues.push(created)
        return [201, issueJson(created)]
      }
      case "PATCH issues/:n": {
        const found = issue(parts[1])
        if (found === undefined) return [404, { message: "Not Found" }]
        if (body.state === "open" || body.state === "closed") found.state = body.state
        if (body.state !== undefined) found.state_reason = (body.state_reason as string | undefined) ?? null
        if (typeof body.body === "string") found.body = body.body
        return [200, issueJson(found)]
      }
      case "GET issues/:n/comments":
        return page(url, comments.filter((c) => c.issue === Number(parts[1])).map(commentJson))
      case "POST issues/:n/comments": {
        if (issue(parts[1]) === undefined) return [404, { message: "Not Found" }]
        const created = { id: ids++, issue: Number(parts[1]), body: String(body.body), user: login() }
        comments.push(created)
        return [201, commentJson(created)]
      }
      case "PATCH issues/comments/:n": {
        const found = comments.find((c) => c.id === Number(parts[2]))
        if (found === undefined) return [404, { message: "Not Found" }]
        found.body = String(body.body)
        return [200, commentJson(found)]
      }
      case "POST deployments": {
        const created = {
          id: ids++,
          ref: String(body.ref),
          environment: String(body.environment),
          statuses: [],
        }
        deployments.push(created)
        return [201, created]
      }
      case "POST deployments/:n/statuses": {
        const found = deployments.find((d) => d.id === Number(parts[1]))
        if (found === undefined) return [404, { message: "Not Found" }]
        found.statuses.push(body as FakeDeployment["statuses"][number])
        return [201, { id: ids++, ...body }]
      }
      default:
        return [404, { message: `fake GitHub has no route ${key}` }]
    }
  }

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? "/", base)
    requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, body: text })
    const send = ([status, body, headers]: Reply) => {
      res.writeHead(status, { "content-type": "application/json", ...headers })
      res.end(JSON.stringify(body))
    }
    if (fault !== undefined) {
      const reply = faultReply(fault.kind)
      if (--fault.left <= 0) fault = undefined
      if (reply === "hang") return
      return send(reply)
    }
    const auth = req.headers.authorization ?? ""
    if (auth !== `token ${token}` && auth !== `bearer ${token}`)
      return send([401, { message: "Bad credentials" }])
    let parsed: Record<string, unknown> = {}
    try {
      parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>)
    } catch {
      return send([400, { message: "Problems parsing JSON" }])
    }
    send(route(req.method ?? "GET", url, parsed))
  }

  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const addIssue = (extra: Partial<FakeIssue>): number => {
    const number = issues.length + 1
    issues.push({
      number,
      title: `issue ${number}`,
      body: "",
      state: "open",
      state_reason: null,
      labels: [],
      ...extra,
    })
    return number
  }
  return {
    url: base,
    token,
    owner,
    repo,
    requests,
    issues,
    comments,
    deployments,
    fault: (kind, times = Number.POSITIVE_INFINITY) => {
      fault = kind === undefined ? undefined : { kind, left: times }
    },
    addPullRequest: () => addIssue({ pull_request: { url: `${base}/pulls/${issues.length + 1}` } }),
    addIssues: (n) => {
      for (let i = 0; i < n; i++) addIssue({})
    },
    addIssue,
    setIdentity: (next) => {
      identity = next
    },
    login,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
