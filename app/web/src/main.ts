/**
 * The booking site's frontend: fetches `/api/services` and lists them by category. Plain DOM, no
 * framework. DOM types are declared locally because the repo compiles without the DOM library.
 */
import "./style.css"
import { formatPrice, groupByCategory, type Service } from "./services.ts"

interface El {
  textContent: string | null
  className: string
  append(...nodes: Array<El | string>): void
  replaceChildren(...nodes: Array<El | string>): void
}
declare const document: {
  getElementById(id: string): El | null
  createElement(tag: string): El
}
declare const fetch: (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>

const el = (tag: string, text?: string, className?: string): El => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className !== undefined) node.className = className
  return node
}

const render = (root: El, services: ReadonlyArray<Service>): void => {
  const sections = groupByCategory(services).map(({ category, items }) => {
    const list = el("ul")
    for (const s of items) {
      const item = el("li")
      item.append(el("span", s.name, "name"), el("span", `${s.duration_minutes} min`, "duration"))
      item.append(el("span", formatPrice(s.price_cents), "price"))
      list.append(item)
    }
    const section = el("section", undefined, "category")
    section.append(el("h2", category), list)
    return section
  })
  root.replaceChildren(...sections)
}

const root = document.getElementById("services")
if (root !== null) {
  fetch("/api/services")
    .then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      render(root, (await res.json()) as Service[])
    })
    .catch((e: unknown) => {
      root.textContent = `Services are unavailable right now (${e instanceof Error ? e.message : String(e)}).`
    })
}
