-- The document store's metadata (kho hồ sơ): the files themselves are content-addressed under the
-- documents directory (store/documents.py); these tables say what each is and who brought it.

-- One row per content (its SHA-256, 64 lowercase hex digits). Erasure on a legal request removes
-- the content and keeps this row: the hash the log cites stays explainable ("erased, when, by whom,
-- why"), and the same bytes are refused if uploaded again.
CREATE TABLE documents (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL CHECK (size >= 0),
    media_type  text NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now(),
    erased_at   timestamptz,
    erased_by   text,
    erased_why  text,
    CHECK ((erased_at IS NULL) = (erased_by IS NULL))
);

-- One row per upload of a content for a journey. The original file name may be personal data (a
-- person's name): it lives here, never in events or logs. A journey's command may cite only the
-- documents uploaded for it.
CREATE TABLE document_uploads (
    journey_id   text NOT NULL,
    sha256       text NOT NULL REFERENCES documents (sha256),
    file_name    text NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journey_id, sha256)
);
CREATE INDEX document_uploads_sha256 ON document_uploads (sha256);
