import { mkdir, writeFile } from "node:fs/promises";
import { benchConsentResponses } from "./consent-responses.js";
import { describeMachine } from "./machine.js";
import { benchMetrics } from "./metrics.js";
import { benchRotationPlan } from "./rotation-plan.js";

/**
 * `npm run bench [name…]`: runs every benchmark (or the named ones) and writes each result to
 * bench/results/<name>.json with the machine's description.
 */
const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  "rotation-plan": benchRotationPlan,
  // PGlite first: when PostgreSQL is not reachable, the run still writes the PGlite result before failing.
  "consent-responses.pglite": () => benchConsentResponses("pglite"),
  "consent-responses.postgres": () => benchConsentResponses("postgres"),
  metrics: benchMetrics,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}

await mkdir(new URL("./results/", import.meta.url), { recursive: true });
for (const [name, run] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  const result = { ...(await run()), machine: describeMachine(), at: new Date().toISOString() };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
}
