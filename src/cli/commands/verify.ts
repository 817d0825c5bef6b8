import type { Command } from "commander";
import { notFound } from "../../core/errors.js";
import { isUuidLike } from "../../core/orgs.js";
import { verifyOrgLog } from "../../db/log.js";
import { readConfig, withStore } from "../config.js";

export function configureVerifyCommand(program: Command) {
  program
    .command("verify")
    .description("Recompute the governance log's hash chain; exits 1 and names the first broken entry")
    .option("--org <slug|id>", "one organisation (default: all)")
    .action(async (options: { org?: string }) => {
      const broken = await withStore(readConfig(), { existing: true }, async (db) => {
        const filter =
          options.org === undefined ? "" : isUuidLike(options.org) ? "WHERE id = $1" : "WHERE slug = $1";
        const { rows: orgs } = await db.query<{ id: string; slug: string }>(
          `SELECT id, slug FROM orgs ${filter} ORDER BY slug`,
          options.org === undefined ? [] : [options.org],
        );
        if (options.org !== undefined && orgs.length === 0)
          throw notFound(`Organisation "${options.org}"`, options.org);
        if (orgs.length === 0) console.log("There are no organisations to verify.");
        let brokenCount = 0;
        for (const org of orgs) {
          const verdict = await verifyOrgLog(db, org.id);
          if (verdict.ok) console.log(`ok      ${org.slug}: ${verdict.entries} entries`);
          else {
            brokenCount++;
            console.error(`BROKEN  ${org.slug}: entry ${verdict.brokenSeq} (${verdict.reason})`);
          }
        }
        return brokenCount;
      });
      if (broken > 0) process.exitCode = 1;
    });
}
