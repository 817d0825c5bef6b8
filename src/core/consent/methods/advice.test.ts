import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../../access.js";
import { DomainError } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import { type Advice, adviceComplete, assertAdvisers, mayRecordAdvice, notAdvised } from "./advice.js";

const id = (name: string) => name as MemberId;
const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: id(name),
  access,
  circleIds: new Set(),
});
const T0 = new Date("2025-05-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const advisers = [id("ben"), id("cat")];
const advice = (adviserId: string): Advice => ({
  adviserId: id(adviserId),
  text: "Ok",
  recordedBy: id("ann"),
  at: T0,
});

function code(attempt: () => unknown) {
  try {
    attempt();
    return "accepted";
  } catch (error) {
    return error instanceof DomainError ? error.code : "crash";
  }
}

describe("the advice process", () => {
  it("names at least one adviser, each once, other than the proposer", () => {
    expect(code(() => assertAdvisers(advisers, id("ann")))).toBe("accepted");
    expect(code(() => assertAdvisers([], id("ann")))).toBe("validation_failed");
    expect(code(() => assertAdvisers([id("ben"), id("ben")], id("ann")))).toBe("validation_failed");
    expect(code(() => assertAdvisers([id("ben"), id("ann")], id("ann")))).toBe("validation_failed");
  });

  it("is complete once every adviser is heard, or once the deadline has passed", () => {
    expect(notAdvised(advisers, [advice("ben")])).toEqual(["cat"]);
    expect(adviceComplete(advisers, [advice("ben")], at(48), at(47))).toBe(false);
    expect(adviceComplete(advisers, [advice("ben")], at(48), at(48))).toBe(true);
    expect(adviceComplete(advisers, [advice("ben")], null, at(5000))).toBe(false);
    expect(adviceComplete(advisers, [advice("ben"), advice("cat")], null, at(1))).toBe(true);
  });

  it("is recorded by the adviser themself or by the proposer, never by an observer", () => {
    expect(mayRecordAdvice(person("ben"), id("ann"), id("ben"))).toBe(true);
    expect(mayRecordAdvice(person("ann"), id("ann"), id("ben"))).toBe(true);
    expect(mayRecordAdvice(person("cat"), id("ann"), id("ben"))).toBe(false);
    expect(mayRecordAdvice(person("ben", "observer"), id("ann"), id("ben"))).toBe(false);
  });
});
