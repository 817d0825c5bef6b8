-- Each term that comes due is announced once: ending soon (a re-selection or rotation should be raised),
-- and again if it passes its end with no successor (flagged, never silently extended).
CREATE TABLE term_notices (
  org_id         uuid NOT NULL,
  assignment_id  uuid NOT NULL,
  state          text NOT NULL CHECK (state IN ('ending_soon', 'past_term')),
  noticed_at     timestamptz NOT NULL,
  PRIMARY KEY (org_id, assignment_id, state),
  FOREIGN KEY (org_id, assignment_id) REFERENCES assignments (org_id, id)
);
