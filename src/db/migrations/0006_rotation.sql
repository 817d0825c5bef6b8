-- How a circle hands on a rotating role: the top candidate is proposed to the circle for consent, or
-- assigned directly where the circle chose automatic rotation (a concertmaster per programme).
ALTER TABLE roles ADD COLUMN rotation_mode text NOT NULL DEFAULT 'consent' CHECK (rotation_mode IN ('consent', 'automatic'));

-- What adopting a proposal does besides recording the decision. `assign_role`: hand a role to the member
-- the rotation proposed ({roleId, memberId, startsAt, endsAt, termDays, source}). applied_at stays empty
-- until the proposal is adopted and the effect has been carried out.
CREATE TABLE proposal_effects (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('assign_role')),
  payload      jsonb NOT NULL,
  applied_at   timestamptz,
  PRIMARY KEY (org_id, proposal_id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);
-- A role has at most one rotation waiting for its circle's consent at a time (checked by the use-case).
CREATE INDEX proposal_effects_pending_role_idx ON proposal_effects (org_id, (payload ->> 'roleId')) WHERE applied_at IS NULL;
