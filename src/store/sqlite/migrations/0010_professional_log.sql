-- The professional activity log (issue 7; docs/professionals.md#the-activity-log).
--
-- professional_access keeps one row per professional and neighbourhood and
-- overwrites it at every step, so the history lives here: one row for each
-- request, decision, buddy, sign-off, pause, resume, revocation, lapse and
-- renewal, written in the transaction of the change itself. `rule` says how
-- a decision was made ('manager', 'objection', 'vote', or 'objections' when
-- residents' objections paused or refused); actor_id is the manager or buddy
-- who acted, NULL when the community's rule or the calendar did. The counts
-- are the objections and votes standing at that moment. purpose is the
-- request's purpose, for request entries; organisation the professional's
-- badge at that moment.
CREATE TABLE professional_events (
  id               INTEGER PRIMARY KEY,
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  professional_id  INTEGER NOT NULL REFERENCES users (id),
  kind             TEXT    NOT NULL,
  rule             TEXT    NOT NULL DEFAULT '',
  actor_id         INTEGER REFERENCES users (id),
  organisation     TEXT    NOT NULL DEFAULT '',
  purpose          TEXT    NOT NULL DEFAULT '',
  objections       INTEGER NOT NULL DEFAULT 0,
  votes_in_favour  INTEGER NOT NULL DEFAULT 0,
  votes_against    INTEGER NOT NULL DEFAULT 0,
  at               INTEGER NOT NULL
) STRICT;
CREATE INDEX professional_events_neighbourhood ON professional_events (neighbourhood_id, id);
-- A lapse is noticed when the access is read, by whoever reads first; this
-- lets exactly one of racing readers write it.
CREATE UNIQUE INDEX professional_events_one_lapse
  ON professional_events (neighbourhood_id, professional_id, at) WHERE kind = 'lapsed';

-- Renewal: while one waits for the community's decision the access stays
-- active past expires_at (docs/professionals.md#renewal).
ALTER TABLE professional_access ADD COLUMN renewal_requested_at INTEGER;

-- Notifications about professional access point at a log entry instead of
-- a post, so post_id may be NULL now. SQLite can't drop a NOT NULL, so the
-- table is rebuilt (nothing refers to it).
CREATE TABLE notifications_0010 (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  kind       TEXT NOT NULL,
  post_id    INTEGER REFERENCES posts (id),
  actor_id   INTEGER REFERENCES users (id),
  created_at INTEGER NOT NULL,
  read_at    INTEGER,
  event_id   INTEGER REFERENCES professional_events (id),
  CHECK ((post_id IS NULL) <> (event_id IS NULL))
);
INSERT INTO notifications_0010 (id, user_id, kind, post_id, actor_id, created_at, read_at)
  SELECT id, user_id, kind, post_id, actor_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_0010 RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, id);

-- The export: every post a professional opened.
CREATE INDEX professional_views_professional ON professional_views (professional_id, id);
