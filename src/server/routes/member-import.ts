import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.js";
import { IMPORT_COLUMNS, IMPORT_ROWS_MAX, importMembers } from "../../app/member-import.js";
import { orgViewerOf } from "../plugins/auth.js";
import { OrgParams } from "../schemas.js";

/** A file of the most members one import takes, with room for long profiles. */
const CSV_MAX_CHARS = 2_000_000;

const ImportBody = Type.Object(
  {
    csv: Type.String({ minLength: 1, maxLength: CSV_MAX_CHARS, description: "The CSV file's text" }),
    dryRun: Type.Boolean({ description: "Check every row and import nothing" }),
  },
  { additionalProperties: false },
);

export async function memberImportRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    "/orgs/:org/members/import",
    {
      // The JSON wrapping a CSV file is larger than the API's usual bodies.
      bodyLimit: CSV_MAX_CHARS * 2,
      schema: {
        tags: ["members"],
        summary: "Import members from CSV (admin); a dry run reports every bad row and imports nothing",
        description:
          `The first line names the columns, in any order and case: ${IMPORT_COLUMNS.join(", ")}; only ` +
          "`name` is required. `access` is admin, member or observer (default member); `skills` reads " +
          '"Bookkeeping:3; Welding:2" (levels 1 to 5); `interests`, `mentoringOffered` and `mentoringWanted` ' +
          'list topics separated by ";"; `hoursAvailable` is hours per week; `circles` names existing ' +
          'circles separated by ";", which the member joins. `email` is optional and not stored: it ' +
          "recognises someone already in the organisation. Each member is a record without an account, " +
          "which an invitation lets its person claim. A name already in the organisation is a bad row. " +
          `At most ${IMPORT_ROWS_MAX} rows. A dry run answers 200 with the report (\`badRows\`: line and ` +
          "problems); a real run imports every row in one transaction, logged, and answers 201 — or, with " +
          "any bad row, imports nothing and answers 400 with the same report in `error.details`.",
        params: OrgParams,
        body: ImportBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const report = await importMembers(ctx, org, viewer, request.body);
      return reply.status(report.dryRun ? 200 : 201).send(report);
    },
  );
}
