/**
 * A hostile Heroku API on loopback (node:http): it answers every request badly, to prove every wait
 * of a client is bounded. Lists (requests with a Range): `endless` answers 206 with the same
 * Next-Range forever, `empty` 206 pages with no items and a new Next-Range each time, `growing` a new
 * item and a new Next-Range each time, without end (a plain GET gets a valid-looking app). `drip`
 * sends headers, then one byte of body every 200 ms and never finishes; `reset` sends half a body
 * and resets the connection.
 */
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export type HostileMode = "endless" | "empty" | "growing" | "drip" | "reset"

export interface HostileApi {
  readonly url: string
  /** Requests answered so far. */
  readonly requests: () => number
  readonly close: () => Promise<void>
}

const app = { id: "01234567-89ab-cdef-0123-456789abcdef", name: "hostile" }

const json = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers })
}

export const startHostileApi = (mode: HostileMode): Promise<HostileApi> => {
  let count = 0
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    count++
    if (mode === "endless" || mode === "empty" || mode === "growing") {
      if (req.headers.range === undefined) {
        json(res, 200)
        res.end(JSON.stringify(app))
        return
      }
      const id = mode === "endless" ? app.id : `page-${count}`
      json(res, 206, { "Next-Range": `id ]${id}..; max=1000` })
      res.end(JSON.stringify(mode === "empty" ? [] : [{ ...app, id }]))
      return
    }
    if (mode === "reset") {
      json(res, 200, { "Content-Length": "4096" })
      res.write(`{"id":"${app.id}","name":"hos`)
      setImmediate(() => req.socket.destroy())
      return
    }
    json(res, 200)
    res.write("{")
    const timer = setInterval(() => res.write(" "), 200)
    timers.add(timer)
    res.on("close", () => {
      clearInterval(timer)
      timers.delete(timer)
    })
  })
  return new Promise((ready) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      ready({
        url: `http://127.0.0.1:${port}`,
        requests: () => count,
        close: () =>
          new Promise((done) => {
            for (const t of timers) clearInterval(t)
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    }),
  )
}
