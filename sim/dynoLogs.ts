/**
 * An app's log as Heroku's log stream shows it: `<time> app[web.1]: <line>` for what processes print,
 * `heroku[router]` for requests, `heroku[web.1]` for state changes. Keeps the recent lines for
 * `heroku logs` and hands new ones to live sessions (`--tail`).
 */
const keep = 1500

export class LogBuffer {
  private readonly lines: string[] = []
  private readonly listeners = new Set<(line: string) => void>()

  /** Appends one line from `source` (e.g. `app[web.1]`, `heroku[router]`). */
  push(source: string, text: string): void {
    // Heroku's form: 2026-12-01T16:05:10.182000+00:00
    const line = `${new Date().toISOString().replace("Z", "000+00:00")} ${source}: ${text}`
    this.lines.push(line)
    if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep)
    for (const f of this.listeners) f(line)
  }

  /** The last `n` lines (all kept lines by default). */
  recent(n = keep): ReadonlyArray<string> {
    return this.lines.slice(-n)
  }

  /** Calls `f` with every new line until the returned function is called. */
  subscribe(f: (line: string) => void): () => void {
    this.listeners.add(f)
    return () => this.listeners.delete(f)
  }
}
