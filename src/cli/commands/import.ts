import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { systemContext } from "../../app/context.js";
import { importOrg } from "../../app/transfer.js";
import { invalid } from "../../core/errors.js";
import { migrate } from "../../db/migrate.js";
import { readConfig, withStore } from "../config.js";

export function configureImportCommand(program: Command) {
  program
    .command("import")
    .description(
      "Restore an exported organisation into a store that does not hold it, in one transaction; " +
        "refuses a file whose log does not verify",
    )
    .argument("<file>", "a file written by polyphony export")
    .action(async (file: string) => {
      const data = await readExportFile(file);
      const summary = await withStore(readConfig(), {}, async (db) => {
        await migrate(db);
        return importOrg(systemContext(db), data);
      });
      const counts = Object.entries(summary.rows)
        .map(([table, count]) => `${count} ${table}`)
        .join(", ");
      console.log(`Imported ${summary.org.name} (${summary.org.slug}): ${counts}.`);
      console.log(`Its log verifies: ${summary.logEntries} entries.`);
    });
}

async function readExportFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw invalid(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`${file} is not JSON; give a file written by "polyphony export"`);
  }
}
