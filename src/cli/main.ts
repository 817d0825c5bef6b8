import { Command, CommanderError } from "commander";
import { DomainError } from "../core/errors.js";
import { configureExportCommand } from "./commands/export.js";
import { configureImportCommand } from "./commands/import.js";
import { configureMetricsCommand } from "./commands/metrics.js";
import { configureMigrateCommand } from "./commands/migrate.js";
import { configureProposalsCommand } from "./commands/proposals.js";
import { configureRespondCommand } from "./commands/respond.js";
import { configureRotationCommand } from "./commands/rotation.js";
import { configureSeedDemoCommand } from "./commands/seed-demo.js";
import { configureServeCommand } from "./commands/serve.js";
import { configureTermsCommand } from "./commands/terms.js";
import { configureTokenCommand } from "./commands/token.js";
import { configureVerifyCommand } from "./commands/verify.js";
import { ENVIRONMENT_HELP } from "./config.js";

/** Exit codes: 0 done, 1 the command failed (the reason is printed), 2 the command line is wrong. */
const program = new Command("polyphony")
  .description(
    "Distributed leadership: circles, roles, consent decisions and a tamper-evident governance log.",
  )
  .addHelpText("after", ENVIRONMENT_HELP)
  .showHelpAfterError('(add "--help" for usage)')
  .exitOverride();

configureServeCommand(program);
configureMigrateCommand(program);
configureSeedDemoCommand(program);
configureExportCommand(program);
configureImportCommand(program);
configureVerifyCommand(program);
configureTokenCommand(program);
configureProposalsCommand(program);
configureRespondCommand(program);
configureMetricsCommand(program);
configureRotationCommand(program);
configureTermsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof DomainError) {
    console.error(`polyphony: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
