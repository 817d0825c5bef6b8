#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves.
// Arguments are passed on: `npm start -- --port 8080`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const outputs = ["dist/cli/main.js", ...(existsSync("src/web") ? ["dist/web/index.html"] : [])];
const inputs = ["package-lock.json", ...filesUnder("src")];

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

const mtime = (path) => statSync(path).mtimeMs;
const builtAt = outputs.every(existsSync) ? Math.min(...outputs.map(mtime)) : 0;
const changedAt = Math.max(...inputs.filter(existsSync).map(mtime));

if (builtAt < changedAt) {
  console.log(builtAt === 0 ? "No build yet: building…" : "Sources changed since the last build: building…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const build = spawnSync(npm, ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ["dist/cli/main.js", "serve", ...process.argv.slice(2)], {
  stdio: "inherit",
});
// The server shuts down gracefully on these; pass them on and exit as it does.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
