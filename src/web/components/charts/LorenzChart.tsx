import type { LorenzPoint } from "../../api-metrics.js";
import { AxisTitles, GridLines, plotArea } from "./Axes.js";
import { formatShare } from "./format.js";
import { linearScale, svgPoints } from "./geometry.js";
import { useChartWidth } from "./useChartWidth.js";

const QUARTERS = [0, 0.25, 0.5, 0.75, 1];

/**
 * The Lorenz curve of leadership-days: how much of the leading the members with the fewest days did. The
 * diagonal is leadership shared evenly; the shaded gap between it and the curve is what the Gini measures.
 */
export function LorenzChart({ points, label }: { points: readonly LorenzPoint[]; label: string }) {
  const [ref, width] = useChartWidth<HTMLDivElement>();
  const height = Math.round(Math.min(Math.max(width * 0.7, 240), 340));
  const plot = plotArea(width, height);
  const x = linearScale([0, 1], [plot.left, plot.right]);
  const y = linearScale([0, 1], [plot.bottom, plot.top]);
  const curve = points.map((point) => ({ x: x(point.population), y: y(point.share) }));
  const diagonal = [
    { x: x(0), y: y(0) },
    { x: x(1), y: y(1) },
  ];
  return (
    <div ref={ref} className="chart-canvas">
      <svg width={width} height={height} role="img" aria-label={label}>
        <GridLines
          plot={plot}
          ticks={QUARTERS.map((share) => ({ y: y(share), label: formatShare(share) }))}
        />
        {QUARTERS.map((share) => (
          <text key={share} className="chart-tick" x={x(share)} y={plot.bottom + 18} textAnchor="middle">
            {formatShare(share)}
          </text>
        ))}
        <polygon className="lorenz-gap" points={svgPoints([...curve, ...diagonal.slice(0, 1)])} />
        <polyline className="lorenz-equality" points={svgPoints(diagonal)} />
        <text
          className="chart-note"
          transform={`translate(${x(0.5)} ${y(0.5)}) rotate(${(Math.atan2(y(1) - y(0), x(1) - x(0)) * 180) / Math.PI})`}
          dy="-0.5em"
          textAnchor="middle"
        >
          Shared evenly
        </text>
        <polyline className="chart-line" points={svgPoints(curve)} />
        <AxisTitles plot={plot} x="Members, fewest leadership-days first" y="Leadership-days" />
      </svg>
    </div>
  );
}
