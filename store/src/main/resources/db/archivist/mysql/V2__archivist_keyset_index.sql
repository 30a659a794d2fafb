-- Additive (docs/schema.md): serves Archivist's keyset pages (newest startedat first, uid as the
-- tie-break) without a filesort. InnoDB builds it online.
CREATE INDEX archivist_archived_workflows_keyset
    ON argo_archived_workflows (clustername, instanceid, startedat DESC, uid DESC);
