-- Sociocratic selections (elections). The core's Selection aggregate is kept whole as one jsonb document
-- (times as ISO strings); the columns beside it are what lists filter and sort on. Who facilitates is
-- not stored: it is whoever holds the circle's facilitator role when the selection is loaded.
CREATE TABLE selections (
  org_id         uuid NOT NULL,
  id             uuid NOT NULL,
  role_id        uuid NOT NULL,
  circle_id      uuid NOT NULL,
  state          text NOT NULL CHECK (state IN ('describing', 'qualifying', 'nominating', 'changing', 'proposing',
                   'consent_round', 'integrating', 'elected', 'cancelled')),
  phase_deadline timestamptz,
  document       jsonb NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id)
);
CREATE INDEX selections_created_idx ON selections (org_id, created_at);
CREATE INDEX selections_circle_idx ON selections (org_id, circle_id, created_at);
-- A role is filled by one selection at a time (the use-case checks it under the role's row lock).
CREATE UNIQUE INDEX selections_running_role_key ON selections (org_id, role_id)
  WHERE state NOT IN ('elected', 'cancelled');
