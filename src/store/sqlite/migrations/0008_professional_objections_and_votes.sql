-- Residents' objections to a professional (issue 7; docs/professionals.md).
-- One per resident and professional in a neighbourhood. Under the objection
-- rule they block a request; against admitted or active access they pause
-- it. They are cleared when the professional asks anew, when the request is
-- admitted and when a manager resumes a paused access, so each count
-- belongs to one stage of one access.
CREATE TABLE professional_objections (
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  professional_id  INTEGER NOT NULL REFERENCES users (id),
  resident_id      INTEGER NOT NULL REFERENCES users (id),
  reason           TEXT    NOT NULL,
  objected_at      INTEGER NOT NULL,
  PRIMARY KEY (neighbourhood_id, professional_id, resident_id)
) STRICT;

-- Residents' votes on a request under the vote rule, one per resident,
-- changeable until the request is decided; cleared when the professional
-- asks anew.
CREATE TABLE professional_votes (
  neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
  professional_id  INTEGER NOT NULL REFERENCES users (id),
  resident_id      INTEGER NOT NULL REFERENCES users (id),
  in_favour        INTEGER NOT NULL CHECK (in_favour IN (0, 1)),
  voted_at         INTEGER NOT NULL,
  PRIMARY KEY (neighbourhood_id, professional_id, resident_id)
) STRICT;
