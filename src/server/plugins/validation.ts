import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

const shared: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false };

// Bodies are JSON and must be exactly right: no coercion, unknown fields rejected by the schemas.
const bodyAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: false }));
// Query strings, params and headers arrive as text; numbers and booleans in them are coerced.
const textAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: "array" }));

/** One validator compiler for the whole API; the same TypeBox schemas feed the OpenAPI document. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? bodyAjv : textAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};
