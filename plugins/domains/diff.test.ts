import { describe, expect, it } from "vitest"
import { type DomainsLive, diffDomains, domainWarnings } from "./diff.ts"

const live: DomainsLive = {
  app: "p",
  domains: [
    {
      hostname: "api.example.com",
      cname: "quiet-otter-1.herokudns.com",
      status: "succeeded",
      acmStatus: "pending",
    },
    {
      hostname: "old.example.com",
      cname: "amber-comet-2.herokudns.com",
      status: "succeeded",
      acmStatus: null,
    },
  ],
}

describe("diffDomains", () => {
  it("creates what is missing; deleting an undeclared domain is destructive", () => {
    const steps = diffDomains(["api.example.com", "www.example.com"], live)
    expect(steps.map((s) => [s.key, s.action, s.destructive ?? false])).toEqual([
      ["www.example.com", "create", false],
      ["old.example.com", "delete", true],
    ])
    expect(steps[1]?.change).toEqual({ kind: "delete", app: "p", hostname: "old.example.com" })
  })

  it("a certificate not issued yet is pending (a warning with the DNS target), not drift", () => {
    expect(diffDomains(["api.example.com", "old.example.com"], live)).toEqual([])
    expect(domainWarnings(["api.example.com", "old.example.com"], live)).toEqual([
      "domain api.example.com: certificate pending (ACM); point its DNS at quiet-otter-1.herokudns.com",
    ])
    const issued = { ...live, domains: live.domains.map((d) => ({ ...d, acmStatus: "cert issued" })) }
    expect(domainWarnings(["api.example.com"], issued)).toEqual([])
  })
})
