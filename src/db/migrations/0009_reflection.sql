-- Cycles (plan → act → observe → reflect): the core's `Cycle` (phases, entries, lessons) as a document;
-- the columns beside it are what lists search by. A crisis has at most one reflection cycle.
CREATE TABLE cycles (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  circle_id   uuid NOT NULL,
  crisis_id   uuid,
  -- The phase, or 'closed'; rewritten on every save.
  state       text NOT NULL CHECK (state IN ('plan', 'act', 'observe', 'reflect', 'closed')),
  document    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, crisis_id) REFERENCES crises (org_id, id)
);
CREATE INDEX cycles_circle_idx ON cycles (org_id, circle_id, created_at);
CREATE UNIQUE INDEX cycles_crisis_key ON cycles (org_id, crisis_id) WHERE crisis_id IS NOT NULL;

-- Performance reviews of a role term. The review group is named here; the feedback they give lives in
-- `feedback_answers`, read only by the holder and the group (never logged).
CREATE TABLE performance_reviews (
  org_id         uuid NOT NULL REFERENCES orgs (id),
  id             uuid NOT NULL,
  assignment_id  uuid NOT NULL,
  holder_id      uuid NOT NULL,
  role_id        uuid NOT NULL,
  circle_id      uuid NOT NULL,
  reviewer_ids   jsonb NOT NULL,
  note           text NOT NULL DEFAULT '',
  requested_at   timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, assignment_id) REFERENCES assignments (org_id, id),
  FOREIGN KEY (org_id, holder_id) REFERENCES members (org_id, id),
  FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id)
);
CREATE INDEX performance_reviews_holder_idx ON performance_reviews (org_id, holder_id, requested_at);

-- One answer per reviewer: the primary key makes a second one a conflict, whatever arrives at once.
CREATE TABLE feedback_answers (
  org_id       uuid NOT NULL,
  review_id    uuid NOT NULL,
  reviewer_id  uuid NOT NULL,
  text         text NOT NULL,
  answered_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, review_id, reviewer_id),
  FOREIGN KEY (org_id, review_id) REFERENCES performance_reviews (org_id, id),
  FOREIGN KEY (org_id, reviewer_id) REFERENCES members (org_id, id)
);

-- The improvement plans a review has put to its group: consent proposals of the role's circle.
CREATE TABLE review_plans (
  org_id       uuid NOT NULL,
  review_id    uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  drafted_at   timestamptz NOT NULL,
  PRIMARY KEY (org_id, review_id, proposal_id),
  UNIQUE (org_id, proposal_id),
  FOREIGN KEY (org_id, review_id) REFERENCES performance_reviews (org_id, id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);

-- Appreciations: recognition of one or more members, optionally tied to a role, proposal or cycle
-- (whose circle is kept in circle_id for the circle's feed).
CREATE TABLE appreciations (
  org_id        uuid NOT NULL REFERENCES orgs (id),
  id            uuid NOT NULL,
  from_id       uuid NOT NULL,
  member_ids    jsonb NOT NULL,
  text          text NOT NULL,
  subject_kind  text CHECK (subject_kind IN ('role', 'proposal', 'cycle')),
  subject_id    uuid,
  circle_id     uuid,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, from_id) REFERENCES members (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  CHECK ((subject_kind IS NULL) = (subject_id IS NULL))
);
CREATE INDEX appreciations_created_idx ON appreciations (org_id, created_at DESC);
CREATE INDEX appreciations_circle_idx ON appreciations (org_id, circle_id, created_at DESC) WHERE circle_id IS NOT NULL;
CREATE INDEX appreciations_members_idx ON appreciations USING gin (member_ids jsonb_path_ops);

-- Advice a community of practice publishes to a circle: shown on that circle, it decides nothing.
CREATE TABLE community_advice (
  org_id        uuid NOT NULL REFERENCES orgs (id),
  id            uuid NOT NULL,
  community_id  uuid NOT NULL,
  circle_id     uuid NOT NULL,
  author_id     uuid NOT NULL,
  text          text NOT NULL,
  published_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, community_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, author_id) REFERENCES members (org_id, id)
);
CREATE INDEX community_advice_circle_idx ON community_advice (org_id, circle_id, published_at DESC);
CREATE INDEX community_advice_community_idx ON community_advice (org_id, community_id, published_at DESC);
