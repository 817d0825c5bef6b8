/** One run of lines in a diff: kept, added or removed. `text` is the run's lines joined by "\n". */
export interface DiffPart {
  op: "equal" | "insert" | "delete";
  text: string;
}

const linesOf = (text: string) => (text === "" ? [] : text.split("\n"));

/** Beyond this many table cells (16 MB) the changed middle is shown as removed and re-added, not aligned. */
const TABLE_CELLS_MAX = 4_000_000;

/**
 * What changed between two versions of a text, line by line, along a longest common subsequence of
 * lines. A small LCS here rather than the `diff` package: the core imports nothing outside itself, and
 * showing what an amendment changed is part of the process (a member consents to a version). Joining the equal and delete runs gives `before`; joining the equal and insert runs gives `after`.
 * The common head and tail are set aside first, so an amendment of a few lines stays cheap.
 */
export function diffLines(before: string, after: string): DiffPart[] {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  if ((midA.length + 1) * (midB.length + 1) > TABLE_CELLS_MAX)
    return runs([
      ...a.slice(0, head).map((line) => ({ op: "equal" as const, line })),
      ...midA.map((line) => ({ op: "delete" as const, line })),
      ...midB.map((line) => ({ op: "insert" as const, line })),
      ...a.slice(a.length - tail).map((line) => ({ op: "equal" as const, line })),
    ]);

  // common(i, j): length of the longest common subsequence of midA[i..] and midB[j..].
  const width = midB.length + 1;
  const table = new Int32Array((midA.length + 1) * width);
  const common = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = midA.length - 1; i >= 0; i--)
    for (let j = midB.length - 1; j >= 0; j--)
      table[i * width + j] =
        midA[i] === midB[j] ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));

  const lines: { op: DiffPart["op"]; line: string }[] = a
    .slice(0, head)
    .map((line) => ({ op: "equal", line }));
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    const removed = midA[i];
    const added = midB[j];
    if (removed !== undefined && removed === added) {
      lines.push({ op: "equal", line: removed });
      i++;
      j++;
    } else if (removed !== undefined && (added === undefined || common(i + 1, j) >= common(i, j + 1))) {
      lines.push({ op: "delete", line: removed });
      i++;
    } else if (added !== undefined) {
      lines.push({ op: "insert", line: added });
      j++;
    }
  }
  for (const line of a.slice(a.length - tail)) lines.push({ op: "equal", line });

  return runs(lines);
}

function runs(lines: readonly { op: DiffPart["op"]; line: string }[]): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const { op, line } of lines) {
    const last = parts.at(-1);
    if (last?.op === op) last.text += `\n${line}`;
    else parts.push({ op, text: line });
  }
  return parts;
}
