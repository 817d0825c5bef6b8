-- Crisis authority: one row per crisis. The whole record (grant, extensions, release, crisis decisions and
-- their ratification) is the core's `Crisis` as a document; the columns beside it are what lists and the
-- sweeper search by.
CREATE TABLE crises (
  org_id           uuid NOT NULL REFERENCES orgs (id),
  id               uuid NOT NULL,
  circle_id        uuid NOT NULL,
  holder_id        uuid NOT NULL,
  -- When the authority ends (or ended): the end time, or earlier on release or when an expedited grant
  -- went unratified (the core's `endedAt`). Rewritten on every save.
  ends_at          timestamptz NOT NULL,
  -- Null until `crisis.ended` has been logged; the sweeper logs it once per crisis.
  ended_logged_at  timestamptz,
  document         jsonb NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, holder_id) REFERENCES members (org_id, id)
);
CREATE INDEX crises_circle_idx ON crises (org_id, circle_id, ends_at);
CREATE INDEX crises_ends_idx ON crises (org_id, ends_at);
-- The sweeper looks across organisations for crises whose end has not been logged yet.
CREATE INDEX crises_unlogged_end_idx ON crises (ends_at) WHERE ended_logged_at IS NULL;
