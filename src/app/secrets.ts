import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { sha256 } from "../db/log.js";

/** Random bearer secrets (sessions, API tokens, invitations): 256 bits, URL-safe. */
export const newSecret = (prefix = "") => prefix + randomBytes(32).toString("base64url");

/** Secrets with 256 bits of entropy need no slow hash; a sha256 lookup key is enough. */
export const secretKey = (secret: string) => sha256(secret);

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);
export const passwordMatches = (passwordHash: string, password: string) =>
  verify(passwordHash, password).catch(() => false);

/** Verifying against this when the account does not exist keeps login timing the same either way. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => {
  dummyHash ??= hashPassword("not-a-real-password");
  return dummyHash;
};
