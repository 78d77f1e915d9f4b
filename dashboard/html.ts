/**
 * The overview as one self-contained HTML page (inline style, no external resource): the live
 * dashboard serves it with a small script (refresh button, reload when a refresh ends); the static
 * report (`reconcile report --html`) is the same page without the script. Clicking an environment
 * shows its plan (the text renderer's output, secrets as it shows them), its per-resource health
 * and its history; a row shows `unhealthy` and the resources when any is (a crashed dyno, an old backup).
 */
import type { RunRecord } from "../history/RunRecord.ts"
import type { EnvView } from "./check.ts"
import type { Overview } from "./Dashboard.ts"

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  )

const when = (iso: string | null) => (iso === null ? "-" : `${iso.slice(0, 16).replace("T", " ")}Z`)

const statusText = (v: EnvView) =>
  v.status === "in-sync"
    ? "in sync"
    : v.status === "drifted"
      ? `drifted (${v.changes} change${v.changes === 1 ? "" : "s"})`
      : v.status === "error"
        ? "error"
        : "not checked yet"

/** `unhealthy` when any resource is, `healthy` when some were reported, else `none`. */
const healthOf = (v: EnvView) =>
  v.health.length === 0 ? "none" : v.health.some((h) => h.state === "unhealthy") ? "unhealthy" : "healthy"

const healthText = (v: EnvView) => {
  const bad = v.health.filter((h) => h.state === "unhealthy")
  if (v.health.length === 0) return "-"
  return bad.length === 0
    ? "healthy"
    : `unhealthy: ${bad.map((h) => `${h.resource} (${h.detail})`).join(", ")}`
}

const healthTable = (v: EnvView) =>
  v.health.length === 0
    ? ""
    : `<h3>Health</h3><table class="health"><tr><th>resource</th><th>state</th><th>detail</th></tr>${v.health
        .map(
          (h) =>
            `<tr data-resource="${esc(h.resource)}" data-state="${h.state}"><td>${esc(h.resource)}</td><td class="h-${h.state}">${h.state}</td><td>${esc(h.detail)}</td></tr>`,
        )
        .join("")}</table>`

const lastApply = (v: EnvView) => {
  const run = v.history.find((r) => r.kind === "apply")
  return run === undefined ? "-" : `${when(run.finishedAt)} ${run.outcome} by ${run.actor.user}`
}

const historyTable = (runs: ReadonlyArray<RunRecord>) =>
  runs.length === 0
    ? "<p>No runs recorded.</p>"
    : `<table><tr><th>run</th><th>kind</th><th>finished</th><th>outcome</th><th>release</th><th>backup</th><th>by</th></tr>${runs
        .map(
          (r) =>
            `<tr><td>${esc(r.id)}</td><td>${r.kind}</td><td>${when(r.finishedAt)}</td><td>${r.outcome}</td><td>${esc(r.release ?? "-")}</td><td>${esc(r.backup ?? "-")}</td><td>${esc([r.actor.user, r.actor.commit?.slice(0, 7)].filter(Boolean).join(" "))}${r.actor.ciRunUrl === undefined ? "" : ` <a href="${esc(r.actor.ciRunUrl)}">CI run</a>`}</td></tr>`,
        )
        .join("")}</table>`

const row = (v: EnvView) =>
  `<tr data-env="${esc(v.env)}" data-status="${v.status}"><td><a href="#env-${esc(v.env)}">${esc(v.env)}</a></td><td class="s-${v.status}">${statusText(v)}${v.deferred === null ? "" : ' <span class="note" title="' + esc(v.deferred) + '">(deferred)</span>'}</td><td class="h-${healthOf(v)}" data-health="${healthOf(v)}">${esc(healthText(v))}</td><td>${esc(lastApply(v))}</td><td>${esc(v.release ?? "-")}</td><td>${when(v.checkedAt)}</td></tr>`

const detail = (v: EnvView) =>
  `<section class="env" id="env-${esc(v.env)}"><h2>${esc(v.env)}: ${statusText(v)}</h2>${
    v.deferred === null ? "" : `<p class="note">${esc(v.deferred)}</p>`
  }${v.error === null ? "" : `<h3>Error</h3><pre class="error">${esc(v.error)}</pre>`}${
    v.plan === null ? "" : `<h3>Plan</h3><pre class="plan">${esc(v.plan)}</pre>`
  }${healthTable(v)}<h3>History</h3>${v.historyNote === null ? "" : `<p class="note">${esc(v.historyNote)}</p>`}${historyTable(v.history)}</section>`

const style = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}
.s-in-sync{color:#17702b}.s-drifted{color:#a35b00}.s-error{color:#b00020}.note{color:#666}
.h-healthy{color:#17702b}.h-unhealthy{color:#b00020}
section.env{display:none}section.env:target{display:block}`

const script = (o: Overview) => `<script>
const state = document.getElementById("state");
const poll = async () => {
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const o = await (await fetch("overview.json", { credentials: "same-origin" })).json();
    if (!o.refreshing) return location.reload();
  }
};
document.getElementById("refresh").addEventListener("click", async (e) => {
  e.target.disabled = true;
  state.textContent = "refreshing…";
  await fetch("refresh", { method: "POST", headers: { "x-reconcile-refresh": "1" }, credentials: "same-origin" });
  poll();
});
${o.refreshing ? 'state.textContent = "refreshing…"; poll();' : `setTimeout(() => location.reload(), ${Math.max(30, o.intervalSeconds) * 1000});`}
</script>`

/** The page; `live` adds the refresh button and its script. */
export const renderPage = (o: Overview, live: boolean): string => {
  const b = o.budget
  const budget = `Heroku rate budget: ${b.remaining} of ${b.perHour} requests an hour left (${b.spent} used)${
    b.herokuRemaining === null ? "" : `; Heroku reports ${b.herokuRemaining} left for the account`
  }`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>reconcile: environments</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${style}</style></head><body>
<h1>Environments</h1><p>${live ? "Live" : "Report"} at ${when(o.generatedAt)}. <span id="budget">${esc(budget)}</span>${
    live
      ? `. ${o.intervalSeconds === 0 ? "Refreshes on demand only" : `Refreshes every ${o.intervalSeconds}s`}. <button id="refresh">Refresh now</button> <span id="state"></span>`
      : ""
  }</p>
<table id="overview"><tr><th>environment</th><th>sync</th><th>health</th><th>last apply</th><th>release</th><th>checked</th></tr>${o.envs
    .map(row)
    .join("")}</table>
${o.envs.map(detail).join("\n")}
${live ? script(o) : ""}</body></html>
`
}
