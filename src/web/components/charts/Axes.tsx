/** The frame shared by the charts with axes: the plot's margins, horizontal grid lines and axis titles. */

export interface Plot {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plot area inside a chart of `width` × `height`, leaving room for the axes' labels and titles. */
export const plotArea = (width: number, height: number): Plot => ({
  width,
  height,
  left: 66,
  right: width - 24,
  top: 24,
  bottom: height - 46,
});

/** Horizontal grid lines at `ticks` (their y positions), each labelled at the left. */
export function GridLines({ plot, ticks }: { plot: Plot; ticks: readonly { y: number; label: string }[] }) {
  return (
    <g className="chart-grid">
      {ticks.map(({ y, label }) => (
        <g key={label}>
          <line x1={plot.left} x2={plot.right} y1={y} y2={y} />
          <text x={plot.left - 8} y={y} dy="0.32em" textAnchor="end">
            {label}
          </text>
        </g>
      ))}
    </g>
  );
}

/** The titles of both axes: under the plot, and turned up the left side. */
export function AxisTitles({ plot, x, y }: { plot: Plot; x: string; y: string }) {
  return (
    <g className="chart-axis-title">
      <text x={(plot.left + plot.right) / 2} y={plot.height - 6} textAnchor="middle">
        {x}
      </text>
      <text
        transform={`translate(14 ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        dy="0.32em"
      >
        {y}
      </text>
    </g>
  );
}
