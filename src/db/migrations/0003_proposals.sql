-- Proposals and what they are decided by. Every record of the process is kept: versions, questions,
-- rounds, every response given (the latest per member is marked current), objections and their resolution.

CREATE TABLE proposals (
  org_id            uuid NOT NULL REFERENCES orgs (id),
  id                uuid NOT NULL,
  circle_id         uuid NOT NULL,
  author_id         uuid NOT NULL,
  title             text NOT NULL,
  -- {"kind":"consent"} | {"kind":"consensus"} | {"kind":"advice","advisers":[...]} | {"kind":"vote","decisionClass":...,"mandate":{...}}
  method            jsonb NOT NULL,
  state             text NOT NULL,
  phase_entered_at  timestamptz NOT NULL,
  phase_deadline    timestamptz,
  quorum            jsonb NOT NULL,
  review_months     integer NOT NULL,
  grants_mandate    jsonb,
  review_of         uuid,
  review_intent     text CHECK (review_intent IN ('keep', 'amend', 'retire')),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, author_id) REFERENCES members (org_id, id),
  FOREIGN KEY (org_id, review_of) REFERENCES proposals (org_id, id)
);
CREATE INDEX proposals_circle_idx ON proposals (org_id, circle_id, state);
CREATE INDEX proposals_updated_idx ON proposals (org_id, updated_at DESC);
CREATE INDEX proposals_review_of_idx ON proposals (org_id, review_of) WHERE review_of IS NOT NULL;
-- The sweeper looks across organisations for rounds whose deadline has passed.
CREATE INDEX proposals_deadline_idx ON proposals (phase_deadline) WHERE phase_deadline IS NOT NULL;

CREATE TABLE proposal_versions (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  number       integer NOT NULL,
  text         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('original', 'revision', 'friendly', 'integration')),
  by_member    uuid NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, proposal_id, number),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);

CREATE TABLE proposal_questions (
  org_id       uuid NOT NULL,
  id           uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  -- Order of asking (questions asked in one batch share their time).
  position     integer NOT NULL,
  asked_by     uuid NOT NULL,
  text         text NOT NULL,
  asked_at     timestamptz NOT NULL,
  answered_by  uuid,
  answer       text,
  answered_at  timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);
CREATE UNIQUE INDEX proposal_questions_position_key ON proposal_questions (org_id, proposal_id, position);

-- A member's later reaction replaces their earlier one (the log keeps every one).
CREATE TABLE proposal_reactions (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  member_id    uuid NOT NULL,
  text         text NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, proposal_id, member_id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);

CREATE TABLE proposal_rounds (
  org_id           uuid NOT NULL,
  proposal_id      uuid NOT NULL,
  number           integer NOT NULL,
  method           text NOT NULL CHECK (method IN ('consent', 'consensus', 'vote')),
  version          integer NOT NULL,
  participants     jsonb NOT NULL,
  opened_at        timestamptz NOT NULL,
  deadline         timestamptz,
  closed_at        timestamptz,
  -- A vote's counts; a secret ballot is counted here and nowhere says who chose what.
  counts           jsonb,
  -- How many responses the round holds, so each new one gets the next position without a scan.
  responses_count  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, proposal_id, number),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);

-- Every response ever given, in order; nothing here is updated.
CREATE TABLE proposal_responses (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  round        integer NOT NULL,
  position     integer NOT NULL,
  member_id    uuid NOT NULL,
  response     jsonb NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, proposal_id, round, position),
  FOREIGN KEY (org_id, proposal_id, round) REFERENCES proposal_rounds (org_id, proposal_id, number)
);

-- Which response counts for each member: one per member and round, whatever arrives at once. It
-- repeats the response from the history, so the rules read a round without scanning its history.
CREATE TABLE proposal_current_responses (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  round        integer NOT NULL,
  member_id    uuid NOT NULL,
  position     integer NOT NULL,
  response     jsonb NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, proposal_id, round, member_id),
  FOREIGN KEY (org_id, proposal_id, round, position) REFERENCES proposal_responses (org_id, proposal_id, round, position)
);

CREATE TABLE objections (
  org_id               uuid NOT NULL,
  id                   uuid NOT NULL,
  proposal_id          uuid NOT NULL,
  position             integer NOT NULL,
  round                integer NOT NULL,
  version              integer NOT NULL,
  member_id            uuid NOT NULL,
  reason               text NOT NULL,
  suggested_amendment  text,
  raised_at            timestamptz NOT NULL,
  -- {"outcome":"integrated","by":"amendment","version":3} | {"outcome":"withdrawn"} | {"outcome":"overruled",...}
  resolution           jsonb,
  resolved_by          uuid,
  resolved_at          timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);
CREATE UNIQUE INDEX objections_position_key ON objections (org_id, proposal_id, position);

CREATE TABLE proposal_advice (
  org_id       uuid NOT NULL,
  proposal_id  uuid NOT NULL,
  position     integer NOT NULL,
  adviser_id   uuid NOT NULL,
  text         text NOT NULL,
  recorded_by  uuid NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, proposal_id, position),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id)
);

-- What a circle adopted. A decision is named by the proposal that made it.
CREATE TABLE decisions (
  org_id             uuid NOT NULL,
  proposal_id        uuid NOT NULL,
  circle_id          uuid NOT NULL,
  method             text NOT NULL,
  version            integer NOT NULL,
  text               text NOT NULL,
  adopted_at         timestamptz NOT NULL,
  review_months      integer NOT NULL,
  review_at          timestamptz NOT NULL,
  term_shortened_by  jsonb NOT NULL DEFAULT '[]',
  concerns           jsonb NOT NULL DEFAULT '[]',
  measures           jsonb NOT NULL DEFAULT '[]',
  tally              jsonb,
  advice             jsonb,
  grants_mandate     jsonb,
  -- active until a review adopts keep/amend (superseded) or retire (retired).
  status             text NOT NULL CHECK (status IN ('active', 'superseded', 'retired')),
  reviewed_by        uuid,
  reviewed_at        timestamptz,
  PRIMARY KEY (org_id, proposal_id),
  FOREIGN KEY (org_id, proposal_id) REFERENCES proposals (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id)
);
CREATE INDEX decisions_circle_idx ON decisions (org_id, circle_id, review_at);

-- A circle's consent to decide one class of decisions by vote, made by an adopted proposal.
CREATE TABLE voting_mandates (
  org_id          uuid NOT NULL,
  circle_id       uuid NOT NULL,
  decision_class  text NOT NULL,
  consented_in    uuid NOT NULL,
  threshold       jsonb NOT NULL,
  secret          boolean NOT NULL,
  quorum          jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (org_id, circle_id, decision_class),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, consented_in) REFERENCES proposals (org_id, id)
);
