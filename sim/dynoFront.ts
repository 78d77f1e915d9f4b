/**
 * The router in front of an app's web dynos: a TCP proxy on a stable loopback port (the app's
 * `web_url`) spreading connections over the web processes that are up, so a restart swaps processes
 * without changing the URL; with none up it answers 503 (an error page, H10, when they crashed). Each request's first line and status go to
 * the app's log as `heroku[router]` lines. Ports come from a pool of servers bound ahead of time, because `web_url` must be
 * answered synchronously and Node only learns a fresh port asynchronously.
 */

import type { AddressInfo } from "node:net"
import { connect, createServer, type Server, type Socket } from "node:net"

const unavailable =
  "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 25\r\n\r\nno web dynos are running\n"

const crashedPage =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Application Error</title></head>\n' +
  "<body><h1>Application error</h1><p>The app crashed and could not answer this request. " +
  "Its owner can see why in the app's log (<code>heroku logs --tail</code>).</p></body></html>\n"

/** Heroku's answer while the app's web dynos have crashed (router error H10). */
const crashed = `HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-cache, no-store\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(crashedPage)}\r\n\r\n${crashedPage}`

export interface Target {
  readonly port: number
  readonly dyno: string
}

export interface Front {
  readonly port: number
  /** Where connections go, in turn; empty answers 503 (no web dyno running). */
  targets: ReadonlyArray<Target>
  /** With no target: whether the app's web dynos crashed (H10 "App crashed") rather than none run (H14). */
  crashed: boolean
  /** Router log lines (`at=info method=GET path="/" ...`). */
  onLog: (line: string) => void
  readonly close: () => Promise<void>
}

const requestLine = (chunk: Buffer): { method: string; path: string } | null => {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(chunk.toString("latin1", 0, 2048))
  return m === null ? null : { method: m[1]!, path: m[2]! }
}

const bind = (): Promise<Server> =>
  new Promise((ok, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => ok(server))
  })

/** A free loopback port (bound, then released) for a dyno process to listen on. */
export const freePort = async (): Promise<number> => {
  const server = await bind()
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((ok) => server.close(() => ok()))
  return port
}

export class FrontPool {
  private readonly spare: Server[] = []
  private readonly fronts = new Set<Front>()
  private refilling: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly size: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Binds the initial spare servers. */
  async start(): Promise<void> {
    this.refill()
    await this.refilling
  }

  private refill(): void {
    this.refilling = this.refilling.then(async () => {
      while (!this.closed && this.spare.length < this.size) {
        const server = await bind()
        if (this.closed) server.close()
        else this.spare.push(server)
      }
    }, this.onError)
  }

  /** A new front on a pre-bound port, or null when the pool is momentarily empty. */
  take(): Front | null {
    const server = this.spare.shift()
    this.refill()
    if (server === undefined) return null
    const sockets = new Set<Socket>()
    let turn = 0
    const front: Front = {
      port: (server.address() as AddressInfo).port,
      targets: [],
      crashed: false,
      onLog: () => {},
      close: async () => {
        this.fronts.delete(front)
        for (const s of sockets) s.destroy()
        await new Promise<void>((ok) => server.close(() => ok()))
      },
    }
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.once("close", () => sockets.delete(socket))
      socket.on("error", () => socket.destroy())
      const targets = front.targets
      if (targets.length === 0) {
        const down = front.crashed
        socket.once("data", (chunk: Buffer) => {
          const r = requestLine(chunk)
          const code = down ? 'code=H10 desc="App crashed"' : 'code=H14 desc="No web processes running"'
          front.onLog(
            `at=error ${code} method=${r?.method ?? "?"} path="${r?.path ?? "?"}" host=127.0.0.1:${front.port} status=503`,
          )
          // answered once the request arrived: a client still writing it would see a reset
          socket.end(down ? crashed : unavailable)
        })
        return
      }
      const target = targets[turn++ % targets.length]!
      const upstream = connect(target.port, "127.0.0.1")
      sockets.add(upstream)
      upstream.once("close", () => sockets.delete(upstream))
      // keep-alive connections carry several requests: each chunk that starts one is queued, and
      // each upstream chunk that starts a response answers the oldest
      const requests: Array<{ method: string; path: string }> = []
      socket.on("data", (chunk: Buffer) => {
        const r = requestLine(chunk)
        if (r !== null) requests.push(r)
      })
      upstream.on("data", (chunk: Buffer) => {
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString("latin1", 0, 64))?.[1]
        const request = status === undefined ? undefined : requests.shift()
        if (request !== undefined)
          front.onLog(
            `at=info method=${request.method} path="${request.path}" host=127.0.0.1:${front.port} dyno=${target.dyno} status=${status}`,
          )
      })
      upstream.on("error", () => {
        if (socket.bytesWritten === 0) {
          front.onLog(
            `at=error code=H13 desc="Connection closed without response" dyno=${target.dyno} status=503`,
          )
          socket.end(unavailable)
        } else socket.destroy()
      })
      socket.once("close", () => upstream.destroy())
      socket.pipe(upstream)
      upstream.pipe(socket)
    })
    this.fronts.add(front)
    return front
  }

  /** Closes every front and spare server. */
  async close(): Promise<void> {
    this.closed = true
    await this.refilling
    await Promise.all([...this.fronts].map((f) => f.close()))
    await Promise.all(this.spare.splice(0).map((s) => new Promise<void>((ok) => s.close(() => ok()))))
  }
}
