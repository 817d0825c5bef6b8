import type { Circle } from "./api.js";

/** A circle with the circles inside it. */
export interface CircleNode {
  circle: Circle;
  children: CircleNode[];
}

/**
 * Nests the organisation's circles under their parents. A circle whose parent is not in the list (archived,
 * or not visible to this viewer) is shown at the top level rather than dropped.
 */
export function nestCircles(circles: readonly Circle[]): CircleNode[] {
  const ids = new Set(circles.map((circle) => circle.id));
  const childrenOf = new Map<string | null, Circle[]>();
  for (const circle of circles) {
    const parent = circle.parentId !== null && ids.has(circle.parentId) ? circle.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), circle]);
  }
  const nest = (parent: string | null): CircleNode[] =>
    (childrenOf.get(parent) ?? []).map((circle) => ({ circle, children: nest(circle.id) }));
  return nest(null);
}
