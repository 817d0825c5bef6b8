import type { CollaborationNode, CollaborationTie } from "../../api-metrics.js";
import { ringLayout } from "./geometry.js";
import { useChartWidth } from "./useChartWidth.js";

/** More lines than this is a grey tangle; the strongest are drawn (the API sends ties strongest first). */
const TIES_DRAWN = 400;
/** Beyond this many members the names would overlap around the ring; the table names them instead. */
const NAMED_NODES = 40;
/** Below this width names are shortened to first names, with less room kept for them. */
const NARROW = 560;

/**
 * The collaboration network on a ring: each member a dot (larger for more colleagues), each tie a chord
 * (thicker for more shared work, dashed when it crosses circles). A ring rather than a force layout: it
 * needs no library, draws the same every time, and leaves every tie visible.
 */
export function NetworkChart({
  nodes,
  ties,
  label,
}: {
  nodes: readonly CollaborationNode[];
  ties: readonly CollaborationTie[];
  label: string;
}) {
  const [ref, width] = useChartWidth<HTMLDivElement>();
  const narrow = width < NARROW;
  const named = nodes.length <= NAMED_NODES;
  const height = Math.round(Math.min(width, 560));
  const labelRoom = named ? (narrow ? 62 : 120) : 12;
  const radius = Math.max(40, Math.min(width, height) / 2 - labelRoom);
  // Most colleagues first, then by name: the same organisation draws the same ring every time.
  const ordered = [...nodes].sort((x, y) => y.degree - x.degree || x.name.localeCompare(y.name));
  const ring = ringLayout(ordered.length, { x: width / 2, y: height / 2 }, radius);
  const place = new Map(ordered.map((node, i) => [node.memberId, ring[i]]));
  const maxDegree = Math.max(1, ...nodes.map((node) => node.degree));
  const maxWeight = Math.max(1, ...ties.map((tie) => tie.weight));
  const dotRadius = (degree: number) => 3 + 6 * Math.sqrt(degree / maxDegree);
  return (
    <div ref={ref} className="chart-canvas">
      <svg width={width} height={height} role="img" aria-label={label}>
        <g className="network-ties">
          {ties.slice(0, TIES_DRAWN).map((tie) => {
            const a = place.get(tie.a);
            const b = place.get(tie.b);
            if (!a || !b) return null;
            return (
              <line
                key={`${tie.a}-${tie.b}`}
                className={tie.crossesCircles ? "network-tie network-tie-across" : "network-tie"}
                x1={a.x}
                y1={a.y}
                x2={b.x}
                y2={b.y}
                strokeWidth={1 + 3 * (tie.weight / maxWeight)}
              />
            );
          })}
        </g>
        {ordered.map((node, i) => {
          const spot = ring[i];
          if (!spot) return null;
          const r = dotRadius(node.degree);
          const degrees = (spot.angle * 180) / Math.PI;
          // Names run outwards along their spoke; on the left half they are turned over to read left to right.
          const flipped = spot.side === "end";
          return (
            <g key={node.memberId}>
              <circle className="network-node" cx={spot.x} cy={spot.y} r={r} />
              {named && (
                <text
                  className="network-name"
                  transform={`translate(${spot.x} ${spot.y}) rotate(${flipped ? degrees + 180 : degrees})`}
                  x={flipped ? -(r + 5) : r + 5}
                  dy="0.32em"
                  textAnchor={flipped ? "end" : "start"}
                >
                  {narrow ? node.name.split(" ")[0] : node.name}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="network-key" aria-label="How to read the network">
        <li>
          <span className="network-key-within" aria-hidden="true" /> Worked together within a circle
        </li>
        <li>
          <span className="network-key-across" aria-hidden="true" /> Across circles
        </li>
        <li>Thicker line: more shared work</li>
        <li>Larger dot: more colleagues</li>
      </ul>
    </div>
  );
}
