import type { Command } from "commander";
import { createApiToken } from "../../app/accounts.js";
import { systemContext } from "../../app/context.js";
import { DomainError } from "../../core/errors.js";
import { readConfig, withStore } from "../config.js";

export function configureTokenCommand(program: Command) {
  const token = program.command("token").description("API tokens for scripts and integrations");
  token
    .command("create")
    .description("Create an API token for an account; the secret is printed once, on stdout")
    .requiredOption("--email <email>", "the account's email")
    .requiredOption("--name <name>", 'what the token is for, e.g. "calendar sync"')
    .action(async (options: { email: string; name: string }) => {
      const secret = await withStore(readConfig(), { existing: true }, async (db) => {
        const ctx = systemContext(db);
        const { rows } = await db.query<{ id: string }>(
          "SELECT id FROM users WHERE lower(email) = lower($1)",
          [options.email.trim()],
        );
        const user = rows[0];
        if (!user) throw new DomainError("not_found", `No account has the email ${options.email}`);
        return (await createApiToken(ctx, user.id, options.name)).secret;
      });
      console.error(
        `Token "${options.name}" created for ${options.email}. Keep it now: it is not shown again.`,
      );
      console.log(secret);
    });
}
