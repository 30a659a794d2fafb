-- Argo Workflows' archive tables exactly as Argo's own migration leaves them at step 68
-- (v4.1) on MySQL/MariaDB: same columns, types, nullability, defaults, keys and index names,
-- so that an Argo Server pointed at this database reads what Archivist writes. We add only the
-- table character set: utf8mb4 with a binary collation, so that names and label values compare
-- exactly (case-sensitively), as Kubernetes compares them. See docs/schema.md.
CREATE TABLE argo_archived_workflows (
    uid varchar(128) NOT NULL,
    name varchar(256) NOT NULL,
    phase varchar(25) NOT NULL,
    namespace varchar(256) NOT NULL,
    workflow json NOT NULL,
    startedat timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finishedat timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clustername varchar(64) NOT NULL,
    instanceid varchar(64) NOT NULL,
    creationtimestamp timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (clustername, uid)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE TABLE argo_archived_workflows_labels (
    clustername varchar(64) NOT NULL,
    uid varchar(128) NOT NULL,
    name varchar(317) NOT NULL,
    value varchar(63) NOT NULL,
    PRIMARY KEY (clustername, uid, name),
    FOREIGN KEY (clustername, uid) REFERENCES argo_archived_workflows (clustername, uid) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE INDEX argo_archived_workflows_i1 ON argo_archived_workflows (clustername, instanceid, namespace, startedat DESC);
CREATE INDEX argo_archived_workflows_i2 ON argo_archived_workflows (clustername, instanceid, finishedat);
CREATE INDEX argo_archived_workflows_i3 ON argo_archived_workflows (clustername, instanceid, name);
CREATE INDEX argo_archived_workflows_i4 ON argo_archived_workflows (clustername, startedat);
CREATE INDEX argo_archived_workflows_i5 ON argo_archived_workflows (creationtimestamp);
CREATE INDEX argo_archived_workflows_labels_i1 ON argo_archived_workflows_labels (name, value);

-- Argo runs its migration steps only while this number is behind; 68 marks the schema current.
CREATE TABLE schema_history (
    schema_version int NOT NULL,
    PRIMARY KEY (schema_version)
);
INSERT INTO schema_history (schema_version) VALUES (68);
