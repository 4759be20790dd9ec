-- Professionals alongside residents (issue 7; docs/professionals.md).
--
-- A professional profile belongs to a person; professional access to a
-- neighbourhood is a row of its own, never a membership, so it can't make
-- anyone a resident and a resident's membership can't turn into it.
CREATE TABLE professional_profiles (
  user_id          INTEGER PRIMARY KEY REFERENCES users (id),
  organisation     TEXT    NOT NULL,
  function         TEXT    NOT NULL,
  description      TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;

-- A neighbourhood's rules for professionals. No row: the defaults
-- (core/professionals.h). scope is a comma-separated list of categories.
CREATE TABLE professional_settings (
  neighbourhood_id      INTEGER PRIMARY KEY REFERENCES neighbourhoods (id),
  admission             TEXT    NOT NULL CHECK (admission IN ('manager', 'objection', 'vote')),
  objection_days        INTEGER NOT NULL,
  objection_count       INTEGER NOT NULL,
  vote_quorum           INTEGER NOT NULL,
  vote_majority_percent INTEGER NOT NULL,
  scope                 TEXT    NOT NULL,
  access_months         INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;

-- One row per professional and neighbourhood; a new request after a
-- refusal, revocation or lapse reuses it. 'lapsed' is computed, never stored.
CREATE TABLE professional_access (
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  user_id          INTEGER NOT NULL REFERENCES users (id),
  purpose          TEXT    NOT NULL,
  status           TEXT    NOT NULL
                   CHECK (status IN ('requested', 'admitted_awaiting_buddy', 'active',
                                     'refused', 'paused', 'revoked')),
  requested_at     INTEGER NOT NULL,
  decided_at       INTEGER,
  decided_by       INTEGER REFERENCES users (id),
  buddy_id         INTEGER REFERENCES users (id),
  active_since     INTEGER,
  expires_at       INTEGER,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (neighbourhood_id, user_id)
) STRICT;
CREATE INDEX professional_access_user ON professional_access (user_id);

-- Every look a professional took at a resident's post, for its author.
CREATE TABLE professional_views (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  post_id          INTEGER NOT NULL REFERENCES posts (id),
  professional_id  INTEGER NOT NULL REFERENCES users (id),
  organisation     TEXT    NOT NULL,
  viewed_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX professional_views_post ON professional_views (post_id, id);

-- The author's switch, and the badge of a post or response written by a
-- professional acting as one (kept as written, so it stays after their
-- access ends).
ALTER TABLE posts ADD COLUMN not_for_professionals INTEGER NOT NULL DEFAULT 0
  CHECK (not_for_professionals IN (0, 1));
ALTER TABLE posts ADD COLUMN professional_organisation TEXT;
ALTER TABLE responses ADD COLUMN professional_organisation TEXT;
-- Posts written before professionals existed were written for residents
-- only: they stay hidden from professionals until their authors share them.
UPDATE posts SET not_for_professionals = 1;
