-- The first schema, in PostgreSQL's dialect; the same tables, columns,
-- constraints and indexes as the SQLite backend's 0001_init.sql, so both
-- backends map rows to the same C++ types.
--
-- Conventions: times are BIGINT unix seconds (as in SQLite, so the mapping
-- is the same); enums are stored as their wire names (core/types.h) and
-- checked here; every neighbourhood-scoped table carries neighbourhood_id so
-- a distributed PostgreSQL can shard on it.

CREATE TABLE users (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         TEXT   NOT NULL,
  display_name  TEXT   NOT NULL,
  locale        TEXT   NOT NULL CHECK (locale IN ('nl', 'en')),
  password_hash TEXT   NOT NULL,
  created_at    BIGINT NOT NULL
);
-- The store answers email_taken for a violation of this index (by name).
CREATE UNIQUE INDEX users_email ON users (email);

-- Only a hash of the token is kept, so a leaked database gives no sessions.
CREATE TABLE sessions (
  token_hash TEXT   PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE regions (
  id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT   NOT NULL UNIQUE
);

-- member_count (verified members) is kept by the store in the transactions
-- that change memberships, so listing neighbourhoods needs no counting.
CREATE TABLE neighbourhoods (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         TEXT             NOT NULL,
  region_id    BIGINT           NOT NULL REFERENCES regions (id),
  lat          DOUBLE PRECISION NOT NULL,
  lon          DOUBLE PRECISION NOT NULL,
  member_count BIGINT           NOT NULL DEFAULT 0 CHECK (member_count >= 0),
  created_at   BIGINT           NOT NULL
);
-- Bounding-box searches (nearby sets, search near a point).
CREATE INDEX neighbourhoods_lat_lon ON neighbourhoods (lat, lon);

-- Both directions are stored, so "who is near n" is one range scan.
CREATE TABLE neighbourhood_nearby (
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  nearby_id        BIGINT NOT NULL REFERENCES neighbourhoods (id),
  PRIMARY KEY (neighbourhood_id, nearby_id),
  CHECK (neighbourhood_id <> nearby_id)
);

CREATE TABLE memberships (
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  user_id          BIGINT NOT NULL REFERENCES users (id),
  role             TEXT   NOT NULL
                   CHECK (role IN ('resident', 'manager', 'professional')),
  status           TEXT   NOT NULL
                   CHECK (status IN ('pending', 'verified', 'suspended')),
  joined_at        BIGINT NOT NULL,
  verified_at      BIGINT,
  PRIMARY KEY (neighbourhood_id, user_id)
);
-- A user has one home: resident or manager of at most one neighbourhood.
CREATE UNIQUE INDEX memberships_one_home ON memberships (user_id)
  WHERE role IN ('resident', 'manager');
CREATE INDEX memberships_user ON memberships (user_id);

-- Only a hash of the code is kept; the code is shown once to its creator.
CREATE TABLE invites (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  created_by       BIGINT NOT NULL REFERENCES users (id),
  code_hash        TEXT   NOT NULL UNIQUE,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  used_by          BIGINT REFERENCES users (id),
  used_at          BIGINT
);

-- region_id repeats the neighbourhood's region so region-wide feeds are a
-- range scan of one index. response_count is kept by create_response.
CREATE TABLE posts (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  region_id        BIGINT NOT NULL REFERENCES regions (id),
  author_id        BIGINT NOT NULL REFERENCES users (id),
  kind             TEXT   NOT NULL CHECK (kind IN ('ask', 'offer')),
  category         TEXT   NOT NULL
                   CHECK (category IN ('goods', 'knowledge', 'money', 'contacts', 'care')),
  title            TEXT   NOT NULL,
  body             TEXT   NOT NULL,
  body_html        TEXT   NOT NULL,
  visibility       TEXT   NOT NULL
                   CHECK (visibility IN ('neighbourhood', 'nearby', 'region')),
  status           TEXT   NOT NULL
                   CHECK (status IN ('open', 'promised', 'done', 'closed', 'expired')),
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT,
  updated_at       BIGINT NOT NULL,
  response_count   BIGINT NOT NULL DEFAULT 0 CHECK (response_count >= 0)
);
-- One index per branch of the feed query: the neighbourhood's own posts,
-- the `nearby` posts of each nearby neighbourhood, the `region` posts of
-- the region. Each branch walks its index backwards from the cursor.
CREATE INDEX posts_neighbourhood ON posts (neighbourhood_id, id);
CREATE INDEX posts_neighbourhood_visibility ON posts (neighbourhood_id, visibility, id);
CREATE INDEX posts_region_visibility ON posts (region_id, visibility, id);

CREATE TABLE responses (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id          BIGINT NOT NULL REFERENCES posts (id),
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  responder_id     BIGINT NOT NULL REFERENCES users (id),
  message          TEXT   NOT NULL,
  status           TEXT   NOT NULL CHECK (status IN ('pending', 'accepted')),
  created_at       BIGINT NOT NULL,
  accepted_at      BIGINT,
  -- One response per neighbour per post; also serves responses_for(post).
  UNIQUE (post_id, responder_id)
);

-- The record that help happened: the edges of the tie graph.
CREATE TABLE exchanges (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id          BIGINT NOT NULL REFERENCES posts (id),
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  response_id      BIGINT NOT NULL UNIQUE REFERENCES responses (id),
  giver_id         BIGINT NOT NULL REFERENCES users (id),
  receiver_id      BIGINT NOT NULL REFERENCES users (id),
  category         TEXT   NOT NULL
                   CHECK (category IN ('goods', 'knowledge', 'money', 'contacts', 'care')),
  hours            DOUBLE PRECISION CHECK (hours IS NULL OR hours >= 0),
  thanks           TEXT,
  completed_at     BIGINT NOT NULL
);
CREATE INDEX exchanges_neighbourhood ON exchanges (neighbourhood_id, id);
CREATE INDEX exchanges_post ON exchanges (post_id);
