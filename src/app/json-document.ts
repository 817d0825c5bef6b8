// Some records (rotas, mentorships, crises) are kept as one jsonb document each: the core's value as JSON
// stores it, revived into the core's types when read.

/** A value as JSON stores it: dates become ISO strings. */
export type Stored<T> = T extends Date
  ? string
  : T extends string | number | boolean | null
    ? T
    : T extends readonly (infer Item)[]
      ? Stored<Item>[]
      : { [K in keyof T]: Stored<T[K]> };

/** A date read back from a document. */
export const storedDate = (iso: string) => new Date(iso);
