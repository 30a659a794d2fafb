-- Argo's node-status offload table, as Argo's migration leaves it at step 68 on a new database:
-- an Argo Server with `persistence` configured queries it in its workflow list, and Argo never
-- creates it itself once schema_history reads 68. Columns in the order Argo's steps leave them;
-- creationtimestamp is a leftover of Argo's first step that Argo never writes. An existing table
-- (an adopted Argo database) is left alone: the index is declared inside the CREATE TABLE,
-- since MySQL has no CREATE INDEX IF NOT EXISTS. Character set as for our other tables (V1).
-- See docs/schema.md and docs/argo.md.
CREATE TABLE IF NOT EXISTS argo_workflows (
    uid varchar(128) NOT NULL,
    namespace varchar(256) NOT NULL,
    creationtimestamp timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    clustername varchar(64) NOT NULL,
    version varchar(64) NOT NULL,
    nodes json NOT NULL,
    updatedat timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (clustername, uid, version),
    INDEX argo_workflows_i1 (clustername, namespace, updatedat)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
