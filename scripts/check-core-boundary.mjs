#!/usr/bin/env node
// src/core is the pure domain: it may import only other files of src/core. No I/O libraries, no
// node: modules, no other layers, no clock. This script fails the lint when that is broken.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const coreDir = resolve("src/core");
const problems = [];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name)) yield path;
  }
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const clockPattern = /\bDate\.now\(\)|new Date\(\s*\)|Math\.random\(\)|performance\.now\(\)|process\./;

for (const file of files(coreDir)) {
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2];
    const isRelative = specifier.startsWith(".");
    const target = isRelative ? resolve(file, "..", specifier) : null;
    if (!isRelative)
      problems.push(`${relative(".", file)} imports "${specifier}" (core may import only core)`);
    else if (!target.startsWith(coreDir))
      problems.push(`${relative(".", file)} imports "${specifier}" from outside src/core`);
  }
  source.split("\n").forEach((line, i) => {
    if (clockPattern.test(line))
      problems.push(`${relative(".", file)}:${i + 1} reads the clock, randomness or the process`);
  });
}

if (problems.length > 0) {
  console.error(`src/core must stay pure:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log("core boundary: ok");
