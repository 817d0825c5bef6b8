#!/usr/bin/env node
// tsc compiles only TypeScript; the SQL migrations are copied next to the compiled migrate.js.
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";

const from = "src/db/migrations";
const to = "dist/db/migrations";
mkdirSync(to, { recursive: true });
const files = readdirSync(from).filter((name) => name.endsWith(".sql"));
for (const name of files) copyFileSync(`${from}/${name}`, `${to}/${name}`);
console.log(`copied ${files.length} migrations to ${to}`);
