import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { systemContext } from "../../app/context.js";
import { exportOrg } from "../../app/transfer.js";
import { readConfig, withStore } from "../config.js";

export function configureExportCommand(program: Command) {
  program
    .command("export")
    .description("Write one organisation, complete (members' accounts and its log included), as JSON")
    .requiredOption("--org <slug|id>", "the organisation")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (options: { org: string; out?: string }) => {
      const exported = await withStore(readConfig(), { existing: true }, (db) =>
        exportOrg(systemContext(db), options.org),
      );
      const json = `${JSON.stringify(exported, null, 2)}\n`;
      if (options.out === undefined) await writeToStdout(json);
      else {
        await writeFile(options.out, json, { mode: 0o600 });
        const counts = Object.entries(exported.tables)
          .map(([table, rows]) => `${rows.length} ${table}`)
          .join(", ");
        console.error(`Exported ${exported.org.name} to ${options.out}: ${counts}.`);
        console.error("The file holds password hashes: keep it as safe as the database.");
      }
    });
}

const writeToStdout = (text: string) =>
  new Promise<void>((done, fail) => process.stdout.write(text, (error) => (error ? fail(error) : done())));
