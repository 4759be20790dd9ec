-- Connectors and the managers' un-doing actions (issue #8; docs/managers.md,
-- docs/moderation.md).
--
-- A resident who opted in as a connector of their neighbourhood has
-- connector_since set; opting out clears it, and so does a suspension.
-- Managers are connectors by their role and need no value here.
ALTER TABLE memberships ADD COLUMN connector_since INTEGER;

-- The moderation log gains two actions: unhide (a hidden post or response
-- is shown again) and lift (a suspension ends). SQLite can't change a CHECK
-- constraint in place, so the table is built anew with the same rows.
CREATE TABLE moderation_log_new (
  id               INTEGER PRIMARY KEY,
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  moderator_id     INTEGER NOT NULL REFERENCES users (id),
  action           TEXT    NOT NULL
                   CHECK (action IN ('hide', 'warn', 'suspend', 'dismiss', 'unhide', 'lift')),
  target_kind      TEXT    NOT NULL CHECK (target_kind IN ('post', 'response', 'member')),
  target_id        INTEGER NOT NULL,
  target_user_id   INTEGER NOT NULL REFERENCES users (id),
  reason           TEXT    NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
INSERT INTO moderation_log_new SELECT id, neighbourhood_id, moderator_id, action, target_kind,
  target_id, target_user_id, reason, created_at FROM moderation_log;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_new RENAME TO moderation_log;
CREATE INDEX moderation_log_neighbourhood ON moderation_log (neighbourhood_id, id);
-- The export finds the entries about one person.
CREATE INDEX moderation_log_target_user ON moderation_log (target_user_id);
-- ... and the reports they filed.
CREATE INDEX reports_reporter ON reports (reporter_id);
