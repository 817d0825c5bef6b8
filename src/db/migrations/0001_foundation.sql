-- Accounts live outside any organisation.
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Every table that belongs to an organisation is keyed by org_id first (distributable by tenant).
CREATE TABLE orgs (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  purpose     text NOT NULL DEFAULT '',
  settings    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL,
  archived_at timestamptz
);

CREATE TABLE members (
  org_id            uuid NOT NULL REFERENCES orgs (id),
  id                uuid NOT NULL,
  user_id           uuid REFERENCES users (id),
  name              text NOT NULL,
  access            text NOT NULL CHECK (access IN ('admin', 'member', 'observer')),
  skills            jsonb NOT NULL DEFAULT '[]',
  interests         jsonb NOT NULL DEFAULT '[]',
  hours_available   double precision,
  mentoring_offered jsonb NOT NULL DEFAULT '[]',
  mentoring_wanted  jsonb NOT NULL DEFAULT '[]',
  joined_at         timestamptz NOT NULL,
  archived_at       timestamptz,
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX members_user_key ON members (org_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX members_by_user_idx ON members (user_id);

CREATE TABLE invitations (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  access      text NOT NULL CHECK (access IN ('admin', 'member', 'observer')),
  note        text NOT NULL DEFAULT '',
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  accepted_by uuid,
  accepted_at timestamptz,
  revoked_at  timestamptz,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE circles (
  org_id      uuid NOT NULL REFERENCES orgs (id),
  id          uuid NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('circle', 'committee', 'council', 'community_of_practice')),
  parent_id   uuid,
  aim         text NOT NULL DEFAULT '',
  domain      text NOT NULL DEFAULT '',
  mandate     text NOT NULL DEFAULT '',
  sunset_at   timestamptz,
  created_at  timestamptz NOT NULL,
  archived_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, parent_id) REFERENCES circles (org_id, id)
);
CREATE INDEX circles_parent_idx ON circles (org_id, parent_id);

-- Membership history: a member who leaves and rejoins gets a second row.
CREATE TABLE circle_members (
  org_id     uuid NOT NULL,
  circle_id  uuid NOT NULL,
  member_id  uuid NOT NULL,
  joined_at  timestamptz NOT NULL,
  left_at    timestamptz,
  PRIMARY KEY (org_id, circle_id, member_id, joined_at),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id),
  FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id)
);
CREATE UNIQUE INDEX circle_members_current_key ON circle_members (org_id, circle_id, member_id) WHERE left_at IS NULL;
CREATE INDEX circle_members_member_idx ON circle_members (org_id, member_id);

CREATE TABLE roles (
  org_id                uuid NOT NULL,
  id                    uuid NOT NULL,
  circle_id             uuid NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('custom', 'facilitator', 'secretary', 'leader', 'delegate')),
  name                  text NOT NULL,
  purpose               text NOT NULL DEFAULT '',
  domain                text NOT NULL DEFAULT '',
  accountabilities      jsonb NOT NULL DEFAULT '[]',
  term_days             integer,
  required_skills       jsonb NOT NULL DEFAULT '[]',
  qualifications        jsonb NOT NULL DEFAULT '[]',
  leadership            boolean NOT NULL DEFAULT false,
  filling_policy        text NOT NULL CHECK (filling_policy IN ('election', 'rotation', 'appointment')),
  max_consecutive_terms integer,
  created_at            timestamptz NOT NULL,
  archived_at           timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, circle_id) REFERENCES circles (org_id, id)
);
CREATE INDEX roles_circle_idx ON roles (org_id, circle_id);
CREATE UNIQUE INDEX roles_structural_key ON roles (org_id, circle_id, kind) WHERE kind IN ('facilitator', 'leader', 'delegate');

CREATE TABLE assignments (
  org_id         uuid NOT NULL,
  id             uuid NOT NULL,
  role_id        uuid NOT NULL,
  member_id      uuid NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz,
  source         text NOT NULL CHECK (source IN ('election', 'rotation', 'appointment', 'crisis', 'founding')),
  shadow         boolean NOT NULL DEFAULT false,
  handover_notes text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id),
  FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id)
);
CREATE INDEX assignments_role_idx ON assignments (org_id, role_id, starts_at);
CREATE INDEX assignments_member_idx ON assignments (org_id, member_id, starts_at);

-- The governance log: append-only, numbered per organisation, hash-chained.
CREATE TABLE log_entries (
  org_id    uuid NOT NULL,
  seq       bigint NOT NULL,
  type      text NOT NULL,
  actor     uuid,
  payload   jsonb NOT NULL,
  at        timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash      text NOT NULL,
  PRIMARY KEY (org_id, seq)
);

-- One row per organisation, locked by each append so that concurrent writers never fork the chain.
CREATE TABLE log_heads (
  org_id uuid PRIMARY KEY,
  seq    bigint NOT NULL,
  hash   text NOT NULL
);
