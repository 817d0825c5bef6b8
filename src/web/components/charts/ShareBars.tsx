import type { Ratio } from "../../api-metrics.js";
import { formatShare } from "./format.js";

export interface Share {
  name: string;
  ratio: Ratio;
}

/** Shares from 0 to 100 % as horizontal bars, the percent written after each; a share of nothing shows a dash. */
export function ShareBars({ shares, label }: { shares: readonly Share[]; label: string }) {
  return (
    <ul className="share-bars" aria-label={label}>
      {shares.map(({ name, ratio }) => (
        <li key={name}>
          <span className="share-bar-name">{name}</span>
          <span className="share-bar-track" aria-hidden="true">
            <span className="share-bar-fill" style={{ width: `${(ratio.share ?? 0) * 100}%` }} />
          </span>
          <span className="share-bar-value">{formatShare(ratio.share)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The table behind share bars: the two counts of each share as well as the percent. */
export const shareRows = (shares: readonly Share[]) =>
  shares.map(
    ({ name, ratio }) =>
      [name, ratio.count.toLocaleString(), ratio.of.toLocaleString(), formatShare(ratio.share)] as const,
  );
