-- The professional activity log (issue 7; docs/professionals.md#the-activity-log).
-- The same change as the SQLite backend's 0010_professional_log.sql.
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
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id),
  professional_id  BIGINT NOT NULL REFERENCES users (id),
  kind             TEXT   NOT NULL,
  rule             TEXT   NOT NULL DEFAULT '',
  actor_id         BIGINT REFERENCES users (id),
  organisation     TEXT   NOT NULL DEFAULT '',
  purpose          TEXT   NOT NULL DEFAULT '',
  objections       BIGINT NOT NULL DEFAULT 0,
  votes_in_favour  BIGINT NOT NULL DEFAULT 0,
  votes_against    BIGINT NOT NULL DEFAULT 0,
  at               BIGINT NOT NULL
);
CREATE INDEX professional_events_neighbourhood ON professional_events (neighbourhood_id, id);
-- A lapse is noticed when the access is read, by whoever reads first; this
-- lets exactly one of racing readers write it.
CREATE UNIQUE INDEX professional_events_one_lapse
  ON professional_events (neighbourhood_id, professional_id, at) WHERE kind = 'lapsed';

-- Renewal: while one waits for the community's decision the access stays
-- active past expires_at (docs/professionals.md#renewal).
ALTER TABLE professional_access ADD COLUMN renewal_requested_at BIGINT;

-- Notifications about professional access point at a log entry instead of
-- a post.
ALTER TABLE notifications ALTER COLUMN post_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN event_id BIGINT REFERENCES professional_events (id);
ALTER TABLE notifications ADD CONSTRAINT notifications_post_or_event
  CHECK ((post_id IS NULL) <> (event_id IS NULL));

-- The export: every post a professional opened.
CREATE INDEX professional_views_professional ON professional_views (professional_id, id);
