import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DiffPart, diffLines } from "./diff.js";

const side = (parts: DiffPart[], keep: DiffPart["op"]) =>
  parts
    .filter((part) => part.op === "equal" || part.op === keep)
    .map((part) => part.text)
    .join("\n");

const lineCount = (parts: DiffPart[], op: DiffPart["op"]) =>
  parts.filter((part) => part.op === op).reduce((n, part) => n + part.text.split("\n").length, 0);

/** Length of the longest common subsequence of lines, computed plainly over the whole texts. */
function lcsLength(a: string[], b: string[]) {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    b.forEach((y, j) => {
      row.push(x === y ? (previous[j] ?? 0) + 1 : Math.max(previous[j + 1] ?? 0, row[j] ?? 0));
    });
    previous = row;
  }
  return previous[b.length] ?? 0;
}

describe("the difference between two versions", () => {
  it("shows an amendment as the lines removed and added between the lines kept", () => {
    const before = "Turn the compost monthly.\nThe rota hangs by the shed.\nAsk Ben for keys.";
    const after = "Turn the compost monthly.\nThe rota is online.\nAsk Ben for keys.\nReview in May.";
    expect(diffLines(before, after)).toEqual([
      { op: "equal", text: "Turn the compost monthly." },
      { op: "delete", text: "The rota hangs by the shed." },
      { op: "insert", text: "The rota is online." },
      { op: "equal", text: "Ask Ben for keys." },
      { op: "insert", text: "Review in May." },
    ]);
  });

  it("has nothing to show for identical texts, and everything for a text written from nothing", () => {
    expect(diffLines("a\nb", "a\nb")).toEqual([{ op: "equal", text: "a\nb" }]);
    expect(diffLines("", "")).toEqual([]);
    expect(diffLines("", "a\nb")).toEqual([{ op: "insert", text: "a\nb" }]);
  });

  const text = fc
    .array(fc.constantFrom("a", "b", "c", ""), { maxLength: 12 })
    .map((lines) => lines.join("\n"));

  it("gives back both texts and keeps as many lines as the two have in common", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const parts = diffLines(before, after);
        expect(side(parts, "delete")).toBe(before);
        expect(side(parts, "insert")).toBe(after);
        const lines = (t: string) => (t === "" ? [] : t.split("\n"));
        expect(lineCount(parts, "equal")).toBe(lcsLength(lines(before), lines(after)));
        // Runs alternate: two neighbours never have the same op.
        parts.slice(1).forEach((part, i) => {
          expect(part.op).not.toBe(parts[i]?.op);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("still gives back both texts for very long versions, without aligning their changed middles", () => {
    const before = Array.from({ length: 2_100 }, (_, i) => `clause ${i}`).join("\n");
    const after = Array.from({ length: 2_100 }, (_, i) => `clause ${i * 7}`).join("\n");
    const parts = diffLines(`head\n${before}\ntail`, `head\n${after}\ntail`);
    expect(parts.map((part) => part.op)).toEqual(["equal", "delete", "insert", "equal"]);
    expect(side(parts, "delete")).toBe(`head\n${before}\ntail`);
    expect(side(parts, "insert")).toBe(`head\n${after}\ntail`);
  });
});
