import type { Command } from "commander";
import { systemContext } from "../../app/context.js";
import { DEMO_ACCOUNTS, DEMO_ORG, DEMO_PASSWORD, seedDemo } from "../../app/demo.js";
import { migrate } from "../../db/migrate.js";
import { readConfig, withStore } from "../config.js";

export function configureSeedDemoCommand(program: Command) {
  program
    .command("seed-demo")
    .description(`Add the demo organisation (${DEMO_ORG.name}, a year of history); does nothing if it exists`)
    .action(async () => {
      const result = await withStore(readConfig(), {}, async (db) => {
        await migrate(db);
        return seedDemo(systemContext(db));
      });
      if (!result.seeded)
        console.log(`The demo organisation "${DEMO_ORG.slug}" exists already; nothing changed.`);
      else {
        console.log(`Seeded ${DEMO_ORG.name} (${result.logEntries} log entries).`);
        printDemoAccounts();
      }
    });
}

export function printDemoAccounts() {
  console.log(`Demo organisation: ${DEMO_ORG.name}. Log in as`);
  for (const account of DEMO_ACCOUNTS)
    console.log(`  ${account.email.padEnd(26)} ${account.name} (${account.access})`);
  console.log(`with the password ${DEMO_PASSWORD}`);
}
