import type { Command } from "commander";
import { migrate } from "../../db/migrate.js";
import { readConfig, withStore } from "../config.js";

export function configureMigrateCommand(program: Command) {
  program
    .command("migrate")
    .description("Bring the database schema up to date (serve does this too)")
    .action(async () => {
      const applied = await withStore(readConfig(), {}, migrate);
      console.log(applied.length > 0 ? `Applied ${applied.join(", ")}` : "The database is up to date.");
    });
}
