/** Branded ids keep an organisation id from being passed where a member id belongs. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, "UserId">;
export type OrgId = Brand<string, "OrgId">;
export type MemberId = Brand<string, "MemberId">;
export type CircleId = Brand<string, "CircleId">;
export type RoleId = Brand<string, "RoleId">;
export type AssignmentId = Brand<string, "AssignmentId">;
