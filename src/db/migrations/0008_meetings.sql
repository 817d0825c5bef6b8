-- Circle meetings: the core's `Meeting` (agenda, attendance, check-in and check-out rounds, minutes,
-- evaluations) as a document; the columns beside it are what lists and calendar feeds search by. Who
-- facilitates and who may attend are not stored: they are loaded when the meeting is read.
CREATE TABLE meetings (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  circle_id   uuid NOT NULL,
  convener_id uuid NOT NULL,
  state       text NOT NULL CHECK (state IN ('scheduled', 'open', 'closed')),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  document    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, convener_id) REFERENCES members (org_id, id)
);
CREATE INDEX meetings_starts_idx ON meetings (org_id, starts_at);
CREATE INDEX meetings_circle_idx ON meetings (org_id, circle_id, starts_at);

-- A member's calendar feed: the URL carries a secret (calendar apps send no cookies), stored hashed like
-- API tokens. One per member; rotating replaces it. The hash is looked up without the organisation (the
-- URL names none), so it has an index of its own; 256-bit secrets need no uniqueness constraint.
CREATE TABLE calendar_feeds (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  member_id   uuid NOT NULL,
  token_hash  text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, member_id),
  FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id)
);
CREATE INDEX calendar_feeds_token_idx ON calendar_feeds (token_hash);
