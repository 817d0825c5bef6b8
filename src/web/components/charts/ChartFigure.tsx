import { type ReactNode, useId } from "react";

/**
 * One chart of the dashboard: its title and plain-language reading as the caption (which names the
 * figure for assistive technology), the drawing, and the same numbers as a table behind a disclosure.
 */
export function ChartFigure({
  title,
  reading,
  table,
  children,
}: {
  title: string;
  reading: ReactNode;
  table: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption>
        <h3 id={titleId} className="chart-title">
          {title}
        </h3>
        <div className="chart-reading">{reading}</div>
      </figcaption>
      {children}
      <details className="chart-table">
        <summary>
          Show as table<span className="visually-hidden">: {title}</span>
        </summary>
        {table}
      </details>
    </figure>
  );
}

/** A table of a chart's numbers: a caption, column headings, and rows whose first cell names the row. */
export function ChartTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly ReactNode[])[];
}) {
  const captionId = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a long table scrolls in its own box, which keyboard users must reach to scroll
    <section className="chart-table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, ...cells], index) => (
            // Names can repeat (two members of one name), so the position keeps rows apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are redrawn whole, never reordered
            <tr key={index}>
              <th scope="row">{name}</th>
              {cells.map((cell, column) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells are fixed columns
                <td key={column}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
