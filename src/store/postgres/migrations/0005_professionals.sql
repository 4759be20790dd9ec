-- Professionals alongside residents (issue 7; docs/professionals.md). The
-- same change as the SQLite backend's 0005_professionals.sql.
--
-- A professional profile belongs to a person; professional access to a
-- neighbourhood is a row of its own, never a membership, so it can't make
-- anyone a resident and a resident's membership can't turn into it.
CREATE TABLE professional_profiles (
  user_id          BIGINT PRIMARY KEY REFERENCES users (id),
  organisation     TEXT   NOT NULL,
  function         TEXT   NOT NULL,
  description      TEXT   NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);

-- A neighbourhood's rules for professionals. No row: the defaults
-- (core/professionals.h). scope is a comma-separated list of categories.
CREATE TABLE professional_settings (
  neighbourhood_id      BIGINT PRIMARY KEY REFERENCES neighbourhoods (id),
  admission             TEXT   NOT NULL CHECK (admission IN ('manager', 'objection', 'vote')),
  objection_days        BIGINT NOT NULL,
  objection_count       BIGINT NOT NULL,
  vote_quorum           BIGINT NOT NULL,
  vote_majority_percent BIGINT NOT NULL,
  scope                 TEXT   NOT NULL,
  access_months         BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);

-- One row per professional and neighbourhood; a new request after a
-- refusal, revocation or lapse reuses it. 'lapsed' is computed, never stored.
CREATE TABLE professional_access (
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  user_id          BIGINT NOT NULL REFERENCES users (id),
  purpose          TEXT   NOT NULL,
  status           TEXT   NOT NULL
                   CHECK (status IN ('requested', 'admitted_awaiting_buddy', 'active',
                                     'refused', 'paused', 'revoked')),
  requested_at     BIGINT NOT NULL,
  decided_at       BIGINT,
  decided_by       BIGINT REFERENCES users (id),
  buddy_id         BIGINT REFERENCES users (id),
  active_since     BIGINT,
  expires_at       BIGINT,
  updated_at       BIGINT NOT NULL,
  PRIMARY KEY (neighbourhood_id, user_id)
);
CREATE INDEX professional_access_user ON professional_access (user_id);

-- Every look a professional took at a resident's post, for its author.
CREATE TABLE professional_views (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id          BIGINT NOT NULL REFERENCES posts (id),
  professional_id  BIGINT NOT NULL REFERENCES users (id),
  organisation     TEXT   NOT NULL,
  viewed_at        BIGINT NOT NULL
);
CREATE INDEX professional_views_post ON professional_views (post_id, id);

-- The author's switch, and the badge of a post or response written by a
-- professional acting as one (kept as written, so it stays after their
-- access ends).
ALTER TABLE posts ADD COLUMN not_for_professionals BIGINT NOT NULL DEFAULT 0
  CHECK (not_for_professionals IN (0, 1));
ALTER TABLE posts ADD COLUMN professional_organisation TEXT;
ALTER TABLE responses ADD COLUMN professional_organisation TEXT;
-- Posts written before professionals existed were written for residents
-- only: they stay hidden from professionals until their authors share them.
UPDATE posts SET not_for_professionals = 1;
