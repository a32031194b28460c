-- Documents printed from the log (văn bản in từ nhật ký) and the hash each had when it was first
-- issued. A document is a function of the events it is printed from (``sources``: the layout's
-- version and the hashes of those events, which cover their content), so printing it again must
-- give the same bytes: a download that renders other bytes for the same sources is refused.
-- A decision that gains a product, or a new layout, has other sources: it is issued anew.
-- Kept here rather than as events: issuing records no decision of the OCOP process, and every
-- value printed is already in the hash-chained log; this table only pins what was handed out.
CREATE TABLE issued_documents (
    kind      text NOT NULL CHECK (kind IN ('certificate', 'decision', 'scoresheet', 'minutes')),
    subject   text NOT NULL,
    sources   text NOT NULL,
    sha256    text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size      integer NOT NULL CHECK (size > 0),
    issued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject, sources)
);
CREATE INDEX issued_documents_subject ON issued_documents (kind, subject, issued_at);
