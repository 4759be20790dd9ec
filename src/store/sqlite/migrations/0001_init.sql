-- The first schema: users and sessions, regions and neighbourhoods with their
-- nearby sets, memberships and invites, posts, responses and exchanges.
--
-- Conventions: times are INTEGER unix seconds; enums are stored as their wire
-- names (core/types.h) and checked here; every neighbourhood-scoped table
-- carries neighbourhood_id so a distributed PostgreSQL can shard on it.
-- STRICT tables refuse values of the wrong type instead of storing them.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  email         TEXT    NOT NULL,
  display_name  TEXT    NOT NULL,
  locale        TEXT    NOT NULL CHECK (locale IN ('nl', 'en')),
  password_hash TEXT    NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
-- The store answers email_taken for a violation of this index.
CREATE UNIQUE INDEX users_email ON users (email);

-- Only a hash of the token is kept, so a leaked database gives no sessions.
CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE regions (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT    NOT NULL UNIQUE
) STRICT;

-- member_count (verified members) is kept by the store in the transactions
-- that change memberships, so listing neighbourhoods needs no counting.
CREATE TABLE neighbourhoods (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT    NOT NULL,
  region_id    INTEGER NOT NULL REFERENCES regions (id),
  lat          REAL    NOT NULL,
  lon          REAL    NOT NULL,
  member_count INTEGER NOT NULL DEFAULT 0 CHECK (member_count >= 0),
  created_at   INTEGER NOT NULL
) STRICT;
-- Bounding-box searches (nearby sets, search near a point).
CREATE INDEX neighbourhoods_lat_lon ON neighbourhoods (lat, lon);

-- Both directions are stored, so "who is near n" is one range scan.
CREATE TABLE neighbourhood_nearby (
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  nearby_id        INTEGER NOT NULL REFERENCES neighbourhoods (id),
  PRIMARY KEY (neighbourhood_id, nearby_id),
  CHECK (neighbourhood_id <> nearby_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE memberships (
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  user_id          INTEGER NOT NULL REFERENCES users (id),
  role             TEXT    NOT NULL
                   CHECK (role IN ('resident', 'manager', 'professional')),
  status           TEXT    NOT NULL
                   CHECK (status IN ('pending', 'verified', 'suspended')),
  joined_at        INTEGER NOT NULL,
  verified_at      INTEGER,
  PRIMARY KEY (neighbourhood_id, user_id)
) STRICT, WITHOUT ROWID;
-- A user has one home: resident or manager of at most one neighbourhood.
CREATE UNIQUE INDEX memberships_one_home ON memberships (user_id)
  WHERE role IN ('resident', 'manager');
CREATE INDEX memberships_user ON memberships (user_id);

-- Only a hash of the code is kept; the code is shown once to its creator.
CREATE TABLE invites (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  created_by       INTEGER NOT NULL REFERENCES users (id),
  code_hash        TEXT    NOT NULL UNIQUE,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  used_by          INTEGER REFERENCES users (id),
  used_at          INTEGER
) STRICT;

-- region_id repeats the neighbourhood's region so region-wide feeds are a
-- range scan of one index. response_count is kept by create_response.
CREATE TABLE posts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  region_id        INTEGER NOT NULL REFERENCES regions (id),
  author_id        INTEGER NOT NULL REFERENCES users (id),
  kind             TEXT    NOT NULL CHECK (kind IN ('ask', 'offer')),
  category         TEXT    NOT NULL
                   CHECK (category IN ('goods', 'knowledge', 'money', 'contacts', 'care')),
  title            TEXT    NOT NULL,
  body             TEXT    NOT NULL,
  body_html        TEXT    NOT NULL,
  visibility       TEXT    NOT NULL
                   CHECK (visibility IN ('neighbourhood', 'nearby', 'region')),
  status           TEXT    NOT NULL
                   CHECK (status IN ('open', 'promised', 'done', 'closed', 'expired')),
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER,
  updated_at       INTEGER NOT NULL,
  response_count   INTEGER NOT NULL DEFAULT 0 CHECK (response_count >= 0)
) STRICT;
-- One index per branch of the feed query: the neighbourhood's own posts,
-- the `nearby` posts of each nearby neighbourhood, the `region` posts of
-- the region. Each branch walks its index backwards from the cursor.
CREATE INDEX posts_neighbourhood ON posts (neighbourhood_id, id);
CREATE INDEX posts_neighbourhood_visibility ON posts (neighbourhood_id, visibility, id);
CREATE INDEX posts_region_visibility ON posts (region_id, visibility, id);

CREATE TABLE responses (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  post_id          INTEGER NOT NULL REFERENCES posts (id),
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  responder_id     INTEGER NOT NULL REFERENCES users (id),
  message          TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'accepted')),
  created_at       INTEGER NOT NULL,
  accepted_at      INTEGER,
  -- One response per neighbour per post; also serves responses_for(post).
  UNIQUE (post_id, responder_id)
) STRICT;

-- The record that help happened: the edges of the tie graph.
CREATE TABLE exchanges (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  post_id          INTEGER NOT NULL REFERENCES posts (id),
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  response_id      INTEGER NOT NULL UNIQUE REFERENCES responses (id),
  giver_id         INTEGER NOT NULL REFERENCES users (id),
  receiver_id      INTEGER NOT NULL REFERENCES users (id),
  category         TEXT    NOT NULL
                   CHECK (category IN ('goods', 'knowledge', 'money', 'contacts', 'care')),
  hours            REAL    CHECK (hours IS NULL OR hours >= 0),
  thanks           TEXT,
  completed_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX exchanges_neighbourhood ON exchanges (neighbourhood_id, id);
CREATE INDEX exchanges_post ON exchanges (post_id);
