import { type HierarchyCircularNode, type HierarchyNode, hierarchy, pack } from "d3-hierarchy";
import { type RefObject, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router-dom";
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

/** A bubble's label at the map's current zoom: `scale` multiplies the packed sizes. */
function BubbleLabel({
  node,
  arcId,
  scale,
}: {
  node: HierarchyCircularNode<Bubble>;
  arcId: string;
  scale: number;
}) {
  const r = node.r * scale;
  if (node.children) {
    // The name runs along the top, in the gap between the rim and the circles inside (cap height ≈ 0.72 em,
    // descenders ≈ 0.22 em below the baseline).
    const gap = innerGap(node) * scale;
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
 * Where the map is zoomed for a selection: into the selected circle when it holds others, else into the
 * circle around it, so a circle without circles inside shows among its neighbours.
 */
function zoomTarget(layout: HierarchyCircularNode<Bubble>, selectedId: string | null) {
  const selected = selectedId ? layout.descendants().find((node) => node.data.id === selectedId) : undefined;
  if (!selected) return layout;
  return selected.children ? selected : (selected.parent ?? layout);
}

/** Escape zooms out by one level, unless the key was meant for a field or already handled. */
function useEscapeToZoomOut(zoomOut: (() => void) | null) {
  useEffect(() => {
    if (!zoomOut) return;
    const onKey = (event: KeyboardEvent) => {
      const inField = event.target instanceof Element && event.target.closest("input, textarea, select");
      if (event.key !== "Escape" || event.defaultPrevented || inField) return;
      zoomOut();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [zoomOut]);
}

/**
 * The circles drawn as nested bubbles (d3-hierarchy `pack`): each circle sits inside the one it belongs to.
 * Choosing a circle (on the map, or with the list's buttons) zooms in on it; Escape or "Zoom out" goes
 * back up a level. The drawing is one image to assistive technology; the list beside it carries the same
 * structure and is what keyboard users choose with.
 */
export function CircleMap({
  orgName,
  roots,
  selectedId,
  onSelect,
  circleHref,
}: {
  orgName: string;
  roots: CircleNode[];
  selectedId: string | null;
  onSelect: (circleId: string | null) => void;
  /** Where the zoomed-in circle's own page is. */
  circleHref: (circleId: string) => string;
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
  const focus = layout ? zoomTarget(layout, selectedId) : null;
  const zoomOut = useMemo(
    () =>
      focus && focus.depth > 0
        ? () => onSelect(focus.parent && focus.parent.depth > 0 ? focus.parent.data.id : null)
        : null,
    [focus, onSelect],
  );
  useEscapeToZoomOut(zoomOut);
  const bubbles = layout?.descendants() ?? [];
  const kinds = [...new Set(bubbles.flatMap((node) => (node.data.kind ? [node.data.kind] : [])))];
  // The focused circle fills the frame, with a thin margin for its rim.
  const scale = focus ? size / (2 * focus.r + 8) : 1;
  const place = (node: HierarchyCircularNode<Bubble>) =>
    focus
      ? { x: (node.x - focus.x) * scale + size / 2, y: (node.y - focus.y) * scale + size / 2 }
      : { x: node.x, y: node.y };
  return (
    <figure className="circle-map">
      <div className="map-toolbar">
        <p className="map-zoom-status" aria-live="polite">
          {focus && focus.depth > 0 ? (
            <>
              Zoomed in on{" "}
              <Link to={circleHref(focus.data.id)} className="map-zoom-name">
                {focus.data.name}
              </Link>
            </>
          ) : (
            <span className="muted">Choose a circle to zoom in</span>
          )}
        </p>
        {zoomOut && (
          <button type="button" className="button button-quiet" onClick={zoomOut}>
            Zoom out <span className="muted">(Esc)</span>
          </button>
        )}
      </div>
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
            {bubbles.map((node, index) => {
              const { x, y } = place(node);
              return (
                <g
                  key={node.data.id || "org"}
                  data-circle-id={node.data.id || undefined}
                  style={{ transform: `translate(${x}px, ${y}px)` }}
                  className={[
                    "map-node",
                    node.data.kind ? `map-kind-${node.data.kind}` : "map-org",
                    node.data.id !== "" && node.data.id === selectedId ? "is-selected" : "",
                  ].join(" ")}
                >
                  <circle r={node.r * scale} />
                  {node.depth > 0 && (
                    <BubbleLabel node={node} arcId={`${prefix}-arc-${index}`} scale={scale} />
                  )}
                </g>
              );
            })}
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
