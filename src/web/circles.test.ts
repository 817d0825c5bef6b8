import { describe, expect, it } from "vitest";
import type { Circle } from "./api.js";
import { nestCircles } from "./circles.js";

const circle = (id: string, parentId: string | null): Circle => ({
  id,
  name: id,
  kind: "circle",
  parentId,
  aim: "",
  domain: "",
  mandate: "",
  sunsetAt: null,
  memberCount: 0,
  roles: [],
  can: {},
});

const shape = (nodes: ReturnType<typeof nestCircles>): unknown =>
  nodes.map((node) => ({ [node.circle.id]: shape(node.children) }));

describe("nesting circles for the overview", () => {
  it("puts each circle inside its parent, keeping the server's order", () => {
    const nested = nestCircles([
      circle("general", null),
      circle("website", "operations"),
      circle("operations", "general"),
      circle("outreach", "general"),
      circle("practice", null),
    ]);
    expect(shape(nested)).toEqual([
      { general: [{ operations: [{ website: [] }] }, { outreach: [] }] },
      { practice: [] },
    ]);
  });

  it("shows a circle whose parent is not in the list at the top level instead of losing it", () => {
    const nested = nestCircles([circle("website", "archived-parent"), circle("general", null)]);
    expect(shape(nested)).toEqual([{ website: [] }, { general: [] }]);
  });
});
