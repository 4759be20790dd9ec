-- Residents' objections to a professional (issue 7; docs/professionals.md).
-- One per resident and professional in a neighbourhood. Under the objection
-- rule they block a request; against admitted or active access they pause
-- it. They are cleared when the professional asks anew, when the request is
-- admitted and when a manager resumes a paused access, so each count
-- belongs to one stage of one access.
CREATE TABLE professional_objections (
  neighbourhood_id BIGINT  NOT NULL REFERENCES neighbourhoods (id),
  professional_id  BIGINT  NOT NULL REFERENCES users (id),
  resident_id      BIGINT  NOT NULL REFERENCES users (id),
  reason           TEXT    NOT NULL,
  objected_at      BIGINT  NOT NULL,
  PRIMARY KEY (neighbourhood_id, professional_id, resident_id)
);

-- Residents' votes on a request under the vote rule, one per resident,
-- changeable until the request is decided; cleared when the professional
-- asks anew.
CREATE TABLE professional_votes (
  neighbourhood_id BIGINT  NOT NULL REFERENCES neighbourhoods (id),
  professional_id  BIGINT  NOT NULL REFERENCES users (id),
  resident_id      BIGINT  NOT NULL REFERENCES users (id),
  in_favour        BIGINT  NOT NULL CHECK (in_favour IN (0, 1)),
  voted_at         BIGINT  NOT NULL,
  PRIMARY KEY (neighbourhood_id, professional_id, resident_id)
);
