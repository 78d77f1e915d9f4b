// Preloaded into a child `node` (node -r) to report its peak resident set size on exit, in KiB.
process.on("exit", () => {
  require("node:fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
})
