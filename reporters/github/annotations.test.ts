import { describe, expect, it } from "vitest"
import { errorCommand, escapeData, escapeProperty, problemAnnotation } from "./annotations.ts"

describe("workflow command escaping", () => {
  it("escapes data and properties as the Actions toolkit does", () => {
    expect(escapeData("50%\r\nnext: a,b")).toBe("50%25%0D%0Anext: a,b")
    expect(escapeProperty("50%\r\nnext: a,b")).toBe("50%25%0D%0Anext%3A a%2Cb")
  })

  it("cannot be used to inject a second command", () => {
    const line = errorCommand({ file: "x.yaml" }, "bad\n::error::injected")
    expect(line.split("\n")).toHaveLength(1)
    expect(line).toBe("::error file=x.yaml::bad%0A::error::injected")
  })

  it("makes problem files relative to the workspace, and leaves others alone", () => {
    const problem = { file: "/w/app/manifests/production.yaml", line: 4, col: 7, path: "", message: "oops" }
    expect(problemAnnotation(problem, "/w/app")).toBe(
      "::error file=manifests/production.yaml,line=4,col=7,title=reconcile manifest::oops",
    )
    expect(problemAnnotation(problem, "/elsewhere")).toContain("file=/w/app/manifests/production.yaml,")
    expect(problemAnnotation({ ...problem, file: "manifests/base.yaml" }, undefined)).toContain(
      "file=manifests/base.yaml,",
    )
  })
})
