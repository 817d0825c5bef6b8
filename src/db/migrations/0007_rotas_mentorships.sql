-- Facilitator rotas: a circle's order of turns for one recurring role. The whole record (order, turns,
-- swaps) is the core's `Rota` as a document; the columns beside it are what lists search by. A role has
-- at most one rota.
CREATE TABLE rotas (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  circle_id   uuid NOT NULL,
  role_id     uuid NOT NULL,
  document    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, role_id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id)
);
CREATE INDEX rotas_circle_idx ON rotas (org_id, circle_id);

-- Mentorships: the core's `Mentorship` (skills, goals, check-ins, end) as a document. Check-in texts live
-- only here, never in the log: they are for the mentor and the mentee alone.
CREATE TABLE mentorships (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  mentor_id   uuid NOT NULL,
  mentee_id   uuid NOT NULL,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  document    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, mentor_id) REFERENCES members (org_id, id),
  FOREIGN KEY (org_id, mentee_id) REFERENCES members (org_id, id)
);
CREATE INDEX mentorships_mentor_idx ON mentorships (org_id, mentor_id, started_at);
CREATE INDEX mentorships_mentee_idx ON mentorships (org_id, mentee_id, started_at);
