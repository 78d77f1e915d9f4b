/**
 * The router in front of an app's web dyno: a TCP proxy on a stable loopback port (the app's
 * `web_url`) forwarding to whichever web process is current, so a restart swaps processes without
 * changing the URL. Ports come from a pool of servers bound ahead of time, because `web_url` must be
 * answered synchronously and Node only learns a fresh port asynchronously.
 */

import type { AddressInfo } from "node:net"
import { connect, createServer, type Server, type Socket } from "node:net"

const unavailable =
  "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 25\r\n\r\nno web dynos are running\n"

export interface Front {
  readonly port: number
  /** Where connections go; null answers 503 (no web dyno running). */
  target: number | null
  readonly close: () => Promise<void>
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
    const front: Front = {
      port: (server.address() as AddressInfo).port,
      target: null,
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
      if (front.target === null) {
        socket.end(unavailable)
        return
      }
      const upstream = connect(front.target, "127.0.0.1")
      sockets.add(upstream)
      upstream.once("close", () => sockets.delete(upstream))
      upstream.on("error", () => {
        if (socket.bytesWritten === 0) socket.end(unavailable)
        else socket.destroy()
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
