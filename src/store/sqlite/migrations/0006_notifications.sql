-- In-app notifications (issue #8). A row says: tell user_id that `kind`
-- happened to post_id, done by actor_id (NULL when nobody acted, as for an
-- expired post). Titles and display names are joined in when listed.
-- read_at is NULL while unread. The rows go with the account on erasure.
CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  kind       TEXT NOT NULL,
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  actor_id   INTEGER REFERENCES users (id),
  created_at INTEGER NOT NULL,
  read_at    INTEGER
);
-- A person's list, newest first, and the unread count.
CREATE INDEX notifications_user ON notifications (user_id, id);

-- The follow-up scheduler looks every minute for open posts past their
-- expiry; this keeps that a short index range however many posts there are.
CREATE INDEX posts_open_expiry ON posts (expires_at) WHERE status = 'open';

-- Follow-ups done, one row per post and kind ('unanswered': an ask nobody
-- answered was brought to its neighbourhood's managers; 'check_in': the
-- author of a post promised long ago was asked whether it worked out). The
-- primary key is the claim: when several server processes race, one insert
-- wins and the others do nothing, so each follow-up happens once.
CREATE TABLE follow_ups (
  post_id INTEGER NOT NULL REFERENCES posts (id),
  kind    TEXT NOT NULL,
  done_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, kind)
);
