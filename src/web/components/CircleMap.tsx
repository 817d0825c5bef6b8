import { type HierarchyCircularNode, type HierarchyNode, hierarchy, pack } from "d3-hierarchy";
import { type RefObject, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { CircleKind } from "../api.js";
import type { CircleNode } from "../circles.js";
import { circleKindLabel } from "../format.js";

interface Bubble {
  id: string;
  name: string;
  kind: CircleKind | null;
  /** Leaves are sized by how much they hold: their roles, plus one so an empty circle still shows. */
  weight: number;
  children: Bubble[];
}

/** Room, in pixels, between a circle's rim and the circles inside it, for its name along the top arc. */
const RIM = 18;

/** The narrowest room between a circle's rim and the circles inside it. */
const innerGap = (node: HierarchyCircularNode<Bubble>) =>
  Math.min(
    ...(node.children ?? []).map(
      (child) => node.r - Math.hypot(child.x - node.x, child.y - node.y) - child.r,
    ),
  );

/**
 * Packs the circles into a square of `size` pixels. d3's padding is not in final pixels (the packing is
 * scaled to fit afterwards), so a second pass rescales it to leave about RIM for the names.
 */
function packCircles(root: HierarchyNode<Bubble>, size: number) {
  const layOut = (padding: number) =>
    pack<Bubble>()
      .size([size, size])
      .padding((node) => (node.depth === 0 ? 6 : padding))(root);
  const first = layOut(RIM);
  const parents = first.descendants().filter((node) => node.depth > 0 && node.children);
  if (parents.length === 0) return first;
  const gap = Math.min(...parents.map(innerGap));
  return gap > 0 && gap < RIM ? layOut((RIM * RIM) / gap) : first;
}

/** The element's width in CSS pixels: the map is laid out at its real size so its labels stay legible. */
function useWidth(element: RefObject<HTMLElement | null>) {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!element.current) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element.current);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

const toBubble = ({ circle, children }: CircleNode): Bubble => ({
  id: circle.id,
  name: circle.name,
  kind: circle.kind,
  weight: 1 + circle.roles.length,
  children: children.map(toBubble),
});

/** Breaks a name into lines of at most `maxChars`, keeping `maxLines` and marking a cut with an ellipsis. */
function fitLines(name: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= maxChars)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const clipped = lines.length > maxLines;
  return lines.slice(0, maxLines).map((line, i) => {
    const cut = line.length > maxChars || (clipped && i === maxLines - 1);
    return cut ? `${line.slice(0, maxChars - 1)}…` : line;
  });
}

function BubbleLabel({ node, arcId }: { node: HierarchyCircularNode<Bubble>; arcId: string }) {
  const { r } = node;
  if (node.children) {
    // The name runs along the top, in the gap between the rim and the circles inside (cap height ≈ 0.72 em,
    // descenders ≈ 0.22 em below the baseline).
    const gap = innerGap(node);
    const fontSize = Math.min(13, (gap - 5) / 0.94);
    const arc = r - 3 - 0.72 * fontSize;
    const maxChars = Math.floor((Math.PI * arc * 0.7) / (0.62 * fontSize));
    if (fontSize < 9 || maxChars < 4) return null;
    const { name } = node.data;
    const line = name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name;
    return (
      <>
        <path id={arcId} d={`M ${-arc},0 A ${arc},${arc} 0 0 1 ${arc},0`} fill="none" />
        <text className="map-label map-label-arc" fontSize={fontSize}>
          <textPath href={`#${arcId}`} startOffset="50%" textAnchor="middle">
            {line}
          </textPath>
        </text>
      </>
    );
  }
  const fontSize = Math.min(15, Math.max(10, r / 4));
  const maxChars = Math.floor((r * 1.8) / (fontSize * 0.58));
  if (r < 22 || maxChars < 4) return null;
  const lines = fitLines(node.data.name, maxChars, 2);
  return (
    <text className="map-label" textAnchor="middle" fontSize={fontSize}>
      {lines.map((line, i) => (
        <tspan key={line} x={0} y={(i - (lines.length - 1) / 2) * fontSize * 1.15} dy="0.35em">
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** The circle under a click: the innermost bubble, or none on the organisation's background. */
const circleIdAt = (target: EventTarget) =>
  (target instanceof Element && target.closest<SVGGElement>("[data-circle-id]")?.dataset.circleId) || null;

/**
 * The circles drawn as nested bubbles (d3-hierarchy `pack`): each circle sits inside the one it belongs to.
 * The drawing is one image to assistive technology; the list beside it carries the same structure.
 */
export function CircleMap({
  orgName,
  roots,
  selectedId,
  onSelect,
}: {
  orgName: string;
  roots: CircleNode[];
  selectedId: string | null;
  onSelect: (circleId: string | null) => void;
}) {
  const prefix = useId();
  const frame = useRef<HTMLDivElement>(null);
  const size = useWidth(frame);
  const layout = useMemo(() => {
    if (size === 0) return null;
    const root = hierarchy<Bubble>(
      { id: "", name: orgName, kind: null, weight: 0, children: roots.map(toBubble) },
      (bubble) => (bubble.children.length > 0 ? bubble.children : undefined),
    )
      .sum((bubble) => (bubble.children.length > 0 ? 0 : bubble.weight))
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    return packCircles(root, size);
  }, [orgName, roots, size]);
  const bubbles = layout?.descendants() ?? [];
  const kinds = [...new Set(bubbles.flatMap((node) => (node.data.kind ? [node.data.kind] : [])))];
  return (
    <figure className="circle-map">
      <div ref={frame} className="circle-map-frame">
        {layout && (
          // biome-ignore lint/a11y/useKeyWithClickEvents: clicking is a mouse shortcut; the list's buttons select by keyboard
          <svg
            width={size}
            height={size}
            viewBox={`0 0 ${size} ${size}`}
            role="img"
            onClick={(event) => onSelect(circleIdAt(event.target))}
          >
            <title>{`Map of the circles of ${orgName}: each circle is drawn inside the one it belongs to`}</title>
            {bubbles.map((node, index) => (
              <g
                key={node.data.id || "org"}
                data-circle-id={node.data.id || undefined}
                transform={`translate(${node.x},${node.y})`}
                className={[
                  "map-node",
                  node.data.kind ? `map-kind-${node.data.kind}` : "map-org",
                  node.data.id !== "" && node.data.id === selectedId ? "is-selected" : "",
                ].join(" ")}
              >
                <circle r={node.r} />
                {node.depth > 0 && <BubbleLabel node={node} arcId={`${prefix}-arc-${index}`} />}
              </g>
            ))}
          </svg>
        )}
      </div>
      <figcaption className="legend">
        {kinds.map((kind) => (
          <span key={kind} className="legend-item">
            <span className={`legend-swatch map-kind-${kind}`} aria-hidden="true" />
            {circleKindLabel[kind]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
