import { AxisTitles, GridLines, plotArea } from "./Axes.js";
import { countTicks, labelEvery, linearScale, svgPoints } from "./geometry.js";
import { useChartWidth } from "./useChartWidth.js";

export interface SeriesPoint {
  label: string;
  value: number;
}

/** Room a label under the axis needs, so labels of a long series are thinned rather than overlapped. */
const LABEL_GAP = 58;

/** The frame of a series chart; `inset` keeps the first and last points (or columns) off the plot's edges. */
function useSeriesFrame(points: readonly SeriesPoint[], inset: (plotWidth: number) => number) {
  const [ref, width] = useChartWidth<HTMLDivElement>();
  const height = Math.round(Math.min(Math.max(width * 0.55, 220), 300));
  const plot = plotArea(width, height);
  const pad = inset(plot.right - plot.left);
  const ticks = countTicks(Math.max(0, ...points.map((point) => point.value)));
  const top = ticks.at(-1) ?? 1;
  const x = linearScale([0, Math.max(1, points.length - 1)], [plot.left + pad, plot.right - pad]);
  const y = linearScale([0, top], [plot.bottom, plot.top]);
  const labelled = labelEvery(points.length, plot.right - plot.left - 2 * pad, LABEL_GAP);
  const grid = ticks.map((tick) => ({ y: y(tick), label: String(tick) }));
  return { ref, width, height, plot, x, y, labelled, grid };
}

/** A count over time as a line with a dot at each point, the latest value written beside it. */
export function LineChart({
  points,
  label,
  xTitle,
  yTitle,
}: {
  points: readonly SeriesPoint[];
  label: string;
  xTitle: string;
  yTitle: string;
}) {
  const { ref, width, height, plot, x, y, labelled, grid } = useSeriesFrame(points, () => 8);
  const line = points.map((point, i) => ({ x: x(i), y: y(point.value) }));
  const last = line.at(-1);
  return (
    <div ref={ref} className="chart-canvas">
      <svg width={width} height={height} role="img" aria-label={label}>
        <GridLines plot={plot} ticks={grid} />
        {points.map(
          (point, i) =>
            labelled(i) && (
              <text
                key={point.label}
                className="chart-tick"
                x={x(i)}
                y={plot.bottom + 18}
                textAnchor="middle"
              >
                {point.label}
              </text>
            ),
        )}
        <polyline className="chart-line" points={svgPoints(line)} />
        {line.map((dot, i) => (
          <circle key={points[i]?.label} className="chart-dot" cx={dot.x} cy={dot.y} r={3.5} />
        ))}
        {last && (
          <text className="chart-value" x={last.x} y={last.y - 10} textAnchor="end">
            {points.at(-1)?.value}
          </text>
        )}
        <AxisTitles plot={plot} x={xTitle} y={yTitle} />
      </svg>
    </div>
  );
}

/** Counts side by side as columns, each with its number on top. */
export function ColumnChart({
  points,
  label,
  xTitle,
  yTitle,
}: {
  points: readonly SeriesPoint[];
  label: string;
  xTitle: string;
  yTitle: string;
}) {
  const slots = Math.max(1, points.length);
  const { ref, width, height, plot, x, y, labelled, grid } = useSeriesFrame(
    points,
    (plotWidth) => plotWidth / slots / 2,
  );
  const barWidth = Math.min(48, ((plot.right - plot.left) / slots) * 0.6);
  return (
    <div ref={ref} className="chart-canvas">
      <svg width={width} height={height} role="img" aria-label={label}>
        <GridLines plot={plot} ticks={grid} />
        {points.map((point, i) => (
          <g key={point.label}>
            <rect
              className="chart-bar"
              x={x(i) - barWidth / 2}
              y={y(point.value)}
              width={barWidth}
              height={plot.bottom - y(point.value)}
            />
            <text className="chart-value" x={x(i)} y={y(point.value) - 6} textAnchor="middle">
              {point.value}
            </text>
            {labelled(i) && (
              <text className="chart-tick" x={x(i)} y={plot.bottom + 18} textAnchor="middle">
                {point.label}
              </text>
            )}
          </g>
        ))}
        <AxisTitles plot={plot} x={xTitle} y={yTitle} />
      </svg>
    </div>
  );
}
