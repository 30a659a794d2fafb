-- Additive (docs/schema.md): serves Archivist's keyset pages (newest startedat first, uid as the
-- tie-break) without a sort. A plain CREATE INDEX: instant on a new archive; on an adopted large
-- one it blocks writes (not reads) while it builds. To avoid that, create it by hand first with
-- CREATE INDEX CONCURRENTLY and this name; IF NOT EXISTS then skips it. (Running CONCURRENTLY
-- here would wait for every transaction open anywhere in the database, including unrelated ones.)
CREATE INDEX IF NOT EXISTS archivist_archived_workflows_keyset
    ON argo_archived_workflows (clustername, instanceid, startedat DESC, uid DESC);
