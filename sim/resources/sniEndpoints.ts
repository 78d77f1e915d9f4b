/**
 * SNI endpoints (a certificate the user uploads for their custom domains): create and update with
 * `{ certificate_chain, private_key }` (the key must match the certificate and is not kept: the
 * simulator terminates no TLS), list, info and delete. `ssl_cert` is read from the real certificate.
 */
import { createPrivateKey, randomBytes, randomUUID, X509Certificate } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import type { AppRecord, SniEndpointRecord } from "../state/model.ts"
import { asObject, type Body, reqString } from "./body.ts"
import { findApp } from "./lookup.ts"

const names = ["brachiosaurus", "stegosaurus", "triceratops", "velociraptor", "iguanodon", "allosaurus"]

/** Parses and checks a certificate chain against its key; throws Heroku's 422 when they disagree. */
const certificateOf = (body: Body): { chain: string; cert: X509Certificate } => {
  const chain = reqString(body, "certificate_chain")
  const key = reqString(body, "private_key")
  let cert: X509Certificate
  try {
    cert = new X509Certificate(chain)
  } catch {
    throw invalidParams("certificate_chain is not a PEM-encoded certificate.")
  }
  let matches = false
  try {
    matches = cert.checkPrivateKey(createPrivateKey(key))
  } catch {
    throw invalidParams("private_key is not a PEM-encoded private key.")
  }
  if (!matches) throw invalidParams("private_key does not match the certificate.")
  return { chain, cert }
}

const certDomains = (cert: X509Certificate): string[] => {
  const alt = (cert.subjectAltName ?? "")
    .split(/,\s*/)
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4))
  return alt.length > 0 ? alt : [/CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? ""].filter((s) => s !== "")
}

export const sniEndpointRoutes = (ctx: SimContext): Route[] => {
  const render = (e: SniEndpointRecord, app: AppRecord) => {
    const cert = new X509Certificate(e.certificateChain)
    const selfSigned = cert.issuer === cert.subject
    return {
      id: e.id,
      name: e.name,
      display_name: null,
      certificate_chain: e.certificateChain,
      domains: ctx.state.domains.filter((d) => d.sniEndpointId === e.id).map((d) => d.id),
      app: { id: app.id, name: app.name },
      ssl_cert: {
        id: e.id,
        "ca_signed?": !selfSigned,
        "self_signed?": selfSigned,
        cert_domains: certDomains(cert),
        issuer: cert.issuer.replace(/\n/g, "/"),
        subject: cert.subject.replace(/\n/g, "/"),
        starts_at: new Date(cert.validFrom).toISOString(),
        expires_at: new Date(cert.validTo).toISOString(),
      },
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    }
  }
  const find = (app: AppRecord, key: string): SniEndpointRecord => {
    const e = ctx.state.sniEndpoints.find((x) => x.appId === app.id && (x.id === key || x.name === key))
    if (e === undefined) throw notFound("sni_endpoint", "SNI endpoint")
    return e
  }
  const freshName = (): string => {
    for (;;) {
      const b = randomBytes(3)
      const name = `${names[b[0]! % names.length]}-${10000 + (b.readUInt16BE(1) % 90000)}`
      if (!ctx.state.sniEndpoints.some((e) => e.name === name)) return name
    }
  }
  return [
    route("POST", "/apps/:app/sni-endpoints", "sni-endpoint#Create", (req) => {
      const app = findApp(ctx, req.params.app!)
      const { chain } = certificateOf(asObject(req.body))
      const now = ctx.now()
      const e = {
        id: randomUUID(),
        appId: app.id,
        name: freshName(),
        certificateChain: chain,
        createdAt: now,
        updatedAt: now,
      }
      ctx.state.sniEndpoints.push(e)
      return created(render(e, app))
    }),
    route("GET", "/apps/:app/sni-endpoints", "sni-endpoint#List", (req) => {
      const app = findApp(ctx, req.params.app!)
      return list(ctx.state.sniEndpoints.filter((e) => e.appId === app.id).map((e) => render(e, app)))
    }),
    route("GET", "/apps/:app/sni-endpoints/:endpoint", "sni-endpoint#Info", (req) => {
      const app = findApp(ctx, req.params.app!)
      return json(render(find(app, req.params.endpoint!), app))
    }),
    route("PATCH", "/apps/:app/sni-endpoints/:endpoint", "sni-endpoint#Update", (req) => {
      const app = findApp(ctx, req.params.app!)
      const e = find(app, req.params.endpoint!)
      e.certificateChain = certificateOf(asObject(req.body)).chain
      e.updatedAt = ctx.now()
      return json(render(e, app))
    }),
    route("DELETE", "/apps/:app/sni-endpoints/:endpoint", "sni-endpoint#Delete", (req) => {
      const app = findApp(ctx, req.params.app!)
      const e = find(app, req.params.endpoint!)
      const rendered = render(e, app)
      ctx.state.sniEndpoints = ctx.state.sniEndpoints.filter((x) => x.id !== e.id)
      for (const d of ctx.state.domains.filter((x) => x.sniEndpointId === e.id)) d.sniEndpointId = null
      return json(rendered)
    }),
  ]
}
