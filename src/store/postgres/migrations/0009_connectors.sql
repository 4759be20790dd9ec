-- Connectors and the managers' un-doing actions (issue #8; docs/managers.md,
-- docs/moderation.md). The same change as the SQLite backend's
-- 0009_connectors.sql.
--
-- A resident who opted in as a connector of their neighbourhood has
-- connector_since set; opting out clears it, and so does a suspension.
-- Managers are connectors by their role and need no value here.
ALTER TABLE memberships ADD COLUMN connector_since BIGINT;

-- The moderation log gains two actions: unhide (a hidden post or response
-- is shown again) and lift (a suspension ends).
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check
  CHECK (action IN ('hide', 'warn', 'suspend', 'dismiss', 'unhide', 'lift'));
-- The export finds the entries about one person.
CREATE INDEX moderation_log_target_user ON moderation_log (target_user_id);
-- ... and the reports they filed.
CREATE INDEX reports_reporter ON reports (reporter_id);
