import { Type } from "typebox";

/** Shared request and response pieces. Route-specific schemas sit beside their routes. */
export const Id = Type.String({ format: "uuid", description: "An opaque id (UUID)" });
/** An organisation is addressed by its id or its slug. */
export const OrgRef = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9-]+$" });
export const Timestamp = Type.String({ format: "date-time" });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const ShortText = (max = 200) => Type.String({ minLength: 1, maxLength: max });
export const LongText = (max = 10_000) => Type.String({ maxLength: max });
export const Can = Type.Record(Type.String(), Type.Boolean(), { description: "Actions the caller may take" });

export const OrgParams = Type.Object({ org: OrgRef });

export const Paging = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

/** Strict object: unknown fields are a 400, never silently dropped. */
export const Body = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });
