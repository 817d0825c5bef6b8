import { useRef } from "react";
import { SelectField, TextField } from "./Field.js";

const SKILL_LEVELS = [
  { level: 1, label: "1 · beginner" },
  { level: 2, label: "2 · some experience" },
  { level: 3, label: "3 · capable" },
  { level: 4, label: "4 · strong" },
  { level: 5, label: "5 · expert" },
];

/** One skill being edited; `key` keeps a row's inputs in place while rows above it are removed. */
export interface SkillRow {
  key: number;
  skill: string;
  level: number;
}

export const toSkillRows = (skills: readonly { skill: string; level: number }[]): SkillRow[] =>
  skills.map((s, key) => ({ key, ...s }));

export const fromSkillRows = (rows: readonly SkillRow[]) =>
  rows.map(({ skill, level }) => ({ skill: skill.trim(), level }));

/** Skills with a level each, added and removed a row at a time. */
export function SkillRows({
  legend,
  rows,
  maxLength,
  onChange,
}: {
  legend: string;
  rows: SkillRow[];
  maxLength: number;
  onChange: (rows: SkillRow[]) => void;
}) {
  const nextKey = useRef(rows.length);
  const change = (key: number, patch: Partial<SkillRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <fieldset className="skill-rows">
      <legend>{legend}</legend>
      {rows.length === 0 && <p className="muted">No skills yet.</p>}
      {rows.map((row, index) => (
        <div key={row.key} className="skill-row">
          <TextField
            label={`Skill ${index + 1}`}
            value={row.skill}
            maxLength={maxLength}
            required
            onChange={(event) => change(row.key, { skill: event.target.value })}
          />
          <SelectField
            label={`Level of skill ${index + 1}`}
            value={row.level}
            onChange={(event) => change(row.key, { level: Number(event.target.value) })}
          >
            {SKILL_LEVELS.map(({ level, label }) => (
              <option key={level} value={level}>
                {label}
              </option>
            ))}
          </SelectField>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
          >
            Remove<span className="visually-hidden"> skill {index + 1}</span>
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...rows, { key: nextKey.current++, skill: "", level: 3 }])}
      >
        Add a skill
      </button>
    </fieldset>
  );
}
