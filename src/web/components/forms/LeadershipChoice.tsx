/** The "leadership role" checkbox of the role forms, explaining what the choice changes. */
export function LeadershipChoice({ checked = false }: { checked?: boolean }) {
  return (
    <label className="choice">
      <input type="checkbox" name="leadership" defaultChecked={checked} />
      <span>
        <strong>Leadership role</strong>
        <span className="choice-hint">
          Its holders can co-grant crisis authority and are counted in leadership load.
        </span>
      </span>
    </label>
  );
}
