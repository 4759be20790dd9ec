-- Sessions get an idle limit beside their absolute one, and accounts can be
-- erased (AVG/GDPR) while what they wrote stays. The same change as the
-- SQLite backend's 0002_sessions_and_erasure.sql.
--
-- last_seen_at: moved forward at most once a minute by the store's
-- touch_session; the service refuses a session idle longer than its limit.
-- Existing sessions count as seen when they were created.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- An erased user stays as a tombstone row, so posts, responses and exchanges
-- keep their author and the tie graph its edges. Its email becomes
-- 'deleted-<id>@invalid' (the reserved .invalid domain: never deliverable,
-- unique by the id), so the real address can register again. display_name
-- and password_hash become ''.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;

-- Export and erasure find a person's rows by these.
CREATE INDEX posts_author ON posts (author_id);
CREATE INDEX responses_responder ON responses (responder_id);
CREATE INDEX exchanges_giver ON exchanges (giver_id);
CREATE INDEX exchanges_receiver ON exchanges (receiver_id);
CREATE INDEX invites_created_by ON invites (created_by);
