-- Moderation and house rules (issue #8; docs/moderation.md). The same
-- change as the SQLite backend's 0007_moderation.sql.
--
-- A hidden post or response keeps its row; hidden_at says since when only
-- its author and the neighbourhood's managers see it.
ALTER TABLE posts ADD COLUMN hidden_at BIGINT;
ALTER TABLE responses ADD COLUMN hidden_at BIGINT;

-- A report by a member about a post, a response or a member of one
-- neighbourhood. target_user_id is the person the report is about (the
-- author, the responder or the member). A report is open until a manager
-- acts on it (or on another report about the same thing).
CREATE TABLE reports (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  neighbourhood_id BIGINT  NOT NULL REFERENCES neighbourhoods (id),
  reporter_id      BIGINT  NOT NULL REFERENCES users (id),
  target_kind      TEXT    NOT NULL CHECK (target_kind IN ('post', 'response', 'member')),
  target_id        BIGINT  NOT NULL,
  target_user_id   BIGINT  NOT NULL REFERENCES users (id),
  reason           TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  resolved_at      BIGINT
);
-- One open report per reporter and thing.
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_kind, target_id)
  WHERE resolved_at IS NULL;
CREATE INDEX reports_open ON reports (neighbourhood_id, id) WHERE resolved_at IS NULL;

-- What managers did, for every member to read. Never names a reporter.
CREATE TABLE moderation_log (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  neighbourhood_id BIGINT  NOT NULL REFERENCES neighbourhoods (id),
  moderator_id     BIGINT  NOT NULL REFERENCES users (id),
  action           TEXT    NOT NULL CHECK (action IN ('hide', 'warn', 'suspend', 'dismiss')),
  target_kind      TEXT    NOT NULL CHECK (target_kind IN ('post', 'response', 'member')),
  target_id        BIGINT  NOT NULL,
  target_user_id   BIGINT  NOT NULL REFERENCES users (id),
  reason           TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL
);
CREATE INDEX moderation_log_neighbourhood ON moderation_log (neighbourhood_id, id);

-- House rules in Markdown, with the rendered (safe) HTML. No row: none yet.
CREATE TABLE house_rules (
  neighbourhood_id BIGINT  PRIMARY KEY REFERENCES neighbourhoods (id),
  markdown         TEXT    NOT NULL,
  html             TEXT    NOT NULL,
  updated_by       BIGINT  NOT NULL REFERENCES users (id),
  updated_at       BIGINT  NOT NULL
);
