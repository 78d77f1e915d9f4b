/**
 * The contract test's second half: the routes of an environment beyond app, add-ons, config and
 * dynos (pipelines' CLI lookups, domains, ACM, SNI endpoints, log drains, app features, add-on
 * config, the dyno-size and add-on catalogs), each response validated against the official schema
 * through the contract test's `check`.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { waitFor } from "./simClient.ts"

type Obj = Record<string, unknown> & { id: string }
export type Check = (linkId: string, method: string, path: string, body?: unknown) => Promise<Obj & Obj[]>

/** A self-signed certificate and its key for `hostname`, made with openssl. */
export const selfSigned = (hostname: string): { cert: string; key: string } => {
  const dir = mkdtempSync(join(tmpdir(), "sim-cert-"))
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-subj",
        `/CN=${hostname}`,
        "-addext",
        `subjectAltName=DNS:${hostname}`,
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "c.pem"),
      ],
      { stdio: "ignore" },
    )
    return { cert: readFileSync(join(dir, "c.pem"), "utf8"), key: readFileSync(join(dir, "k.pem"), "utf8") }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Drives every environment route on `app` (which has a provisioned add-on `addon`). */
export const checkEnvironmentRoutes = async (check: Check, app: string, addon: string): Promise<void> => {
  const pipe = await check("pipeline#Create", "POST", "/pipelines", { name: "contract-env" })
  const found = await check("pipeline#List", "GET", "/pipelines?eq[name]=contract-env")
  expect(found.map((p) => p.id)).toEqual([pipe.id])
  const apps = await check("app#List", "GET", "/apps")
  const filtered = await check("filter-apps#Apps", "POST", "/filters/apps", { in: { id: [apps[0]!.id] } })
  expect(filtered.map((a) => a.id)).toEqual([apps[0]!.id])

  const { cert, key } = selfSigned("secure.example.com")
  const sni = await check("sni-endpoint#Create", "POST", `/apps/${app}/sni-endpoints`, {
    certificate_chain: cert,
    private_key: key,
  })
  expect((sni.ssl_cert as { cert_domains: string[] }).cert_domains).toEqual(["secure.example.com"])
  await check("sni-endpoint#Update", "PATCH", `/apps/${app}/sni-endpoints/${sni.name}`, {
    certificate_chain: cert,
    private_key: key,
  })
  await check("sni-endpoint#List", "GET", `/apps/${app}/sni-endpoints`)
  await check("app#Enable ACM", "POST", `/apps/${app}/acm`)
  const domain = await check("domain#Create", "POST", `/apps/${app}/domains`, {
    hostname: "api.example.com",
    sni_endpoint: null,
  })
  expect(domain).toMatchObject({ kind: "custom", acm_status: "pending", status: "pending" })
  expect(String(domain.cname)).toMatch(/\.herokudns\.com$/)
  const issued = await waitFor(async () => {
    const d = await check("domain#Info", "GET", `/apps/${app}/domains/api.example.com`)
    return d.acm_status === "cert issued" ? d : undefined
  })
  expect(issued.status).toBe("succeeded")
  await check("domain#Update", "PATCH", `/apps/${app}/domains/${domain.id}`, { sni_endpoint: sni.id })
  const domains = await check("domain#List", "GET", `/apps/${app}/domains`)
  expect(domains.map((d) => d.kind).sort()).toEqual(["custom", "heroku"])
  await check("sni-endpoint#Info", "GET", `/apps/${app}/sni-endpoints/${sni.id}`)
  await check("app#Refresh ACM", "PATCH", `/apps/${app}/acm`)
  await check("app#Disable ACM", "DELETE", `/apps/${app}/acm`)
  await check("domain#Delete", "DELETE", `/apps/${app}/domains/api.example.com`)
  await check("sni-endpoint#Delete", "DELETE", `/apps/${app}/sni-endpoints/${sni.id}`)

  const drain = await check("log-drain#Create", "POST", `/apps/${app}/log-drains`, {
    url: "syslog+tls://logs.example.com:6514",
  })
  expect(String(drain.token)).toMatch(/^d\.[0-9a-f-]{36}$/)
  await check("log-drain#List", "GET", `/apps/${app}/log-drains`)
  await check("log-drain#Info", "GET", `/apps/${app}/log-drains/${drain.id}`)
  await check(
    "log-drain#Delete",
    "DELETE",
    `/apps/${app}/log-drains/${encodeURIComponent(String(drain.url))}`,
  )

  const features = await check("app-feature#List", "GET", `/apps/${app}/features`)
  expect(features.map((f) => f.name)).toEqual(expect.arrayContaining(["preboot", "runtime-dyno-metadata"]))
  await check("app-feature#Info", "GET", `/apps/${app}/features/preboot`)
  const on = await check("app-feature#Update", "PATCH", `/apps/${app}/features/preboot`, { enabled: true })
  expect(on.enabled).toBe(true)

  const config = await check("add-on-config#List", "GET", `/addons/${addon}/config`)
  expect(config).toEqual([{ name: "version", value: "16" }])
  const sizes = await check("dyno-size#List", "GET", "/dyno-sizes")
  expect(sizes.map((s) => String(s.name).toLowerCase())).toEqual(
    expect.arrayContaining(["eco", "basic", "standard-1x", "standard-2x", "performance-m", "performance-l"]),
  )
  await check("dyno-size#Info", "GET", "/dyno-sizes/standard-2x")
  await check("dyno-size#List App Dyno Sizes", "GET", `/apps/${app}/available-dyno-sizes`)
  const services = await check("add-on-service#List", "GET", "/addon-services")
  await check("add-on-service#Info", "GET", `/addon-services/${services[0]!.id}`)
  const plans = await check("plan#List By Add-on", "GET", "/addon-services/heroku-postgresql/plans")
  await check("plan#Info By Add-on", "GET", "/addon-services/heroku-postgresql/plans/essential-0")
  await check("plan#Info", "GET", `/plans/${plans[0]!.id}`)
  await check("pipeline#Delete", "DELETE", `/pipelines/${pipe.id}`)
}
