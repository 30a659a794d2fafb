-- Additive: workflows the controller quarantined after --max-retries failures, with their
-- attempt count and last error, so that `archivist quarantine` and GET /api/v1/quarantine can list
-- them and a restarted (or newly elected) controller remembers them. Argo never reads this table.
-- Scoped like Argo's rows: (clustername, uid) is the key, every query also filters instanceid.
-- DATETIME(6), not TIMESTAMP: no implicit defaults or on-update behaviour, and no 2038 limit.
CREATE TABLE IF NOT EXISTS archivist_quarantine (
    clustername     varchar(64)  NOT NULL,
    instanceid      varchar(64)  NOT NULL,
    uid             varchar(128) NOT NULL,
    namespace       varchar(256) NOT NULL,
    name            varchar(256) NOT NULL,
    attempts        int          NOT NULL,
    last_error      text         NOT NULL,
    first_failed_at datetime(6)  NOT NULL,
    last_failed_at  datetime(6)  NOT NULL,
    PRIMARY KEY (clustername, uid)
);
