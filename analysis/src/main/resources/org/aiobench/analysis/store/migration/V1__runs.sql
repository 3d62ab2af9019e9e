-- aiobench's store, version 1: the run directories' records (results/README.md), one row per record, and what the
-- plot module judged of each run when it was added. Portable SQL: the same file migrates SQLite and PostgreSQL
-- (natural keys, no identity columns, TEXT for times as the run files write them: ISO-8601 UTC).
-- Flyway records each migration's checksum in the store: once merged, a migration is never edited; a change to the
-- schema is a new file V2__what.sql beside this one (and RunVerdicts/StoreWriter/StoreReader follow it).

-- A machine, told apart by its environment: the host name and the hardware env.json records.
CREATE TABLE box (
    box_id        TEXT PRIMARY KEY,          -- the first 16 hex digits of the SHA-256 of name|cpu|count|memory
    name          TEXT NOT NULL,             -- env.json host, else the host in the run id
    cpu_model     TEXT,
    cpu_count     INTEGER,
    memory_bytes  BIGINT
);

-- One run directory.
CREATE TABLE run (
    run_id            TEXT PRIMARY KEY,      -- env.json runId (the directory's name)
    box_id            TEXT NOT NULL REFERENCES box (box_id),
    dir_name          TEXT NOT NULL,         -- the directory's name when it was added
    kernel_release    TEXT NOT NULL,
    created_at        TEXT,                  -- env.json createdAt
    created_epoch     BIGINT,                -- the same in seconds since 1970 (a time axis for dashboards)
    quick             BOOLEAN,
    state             TEXT NOT NULL,         -- COMPLETE, INCOMPLETE or UNKNOWN (progress.json)
    state_text        TEXT NOT NULL,
    aiobench_version  TEXT,
    aiobench_commit   TEXT,
    env_json          TEXT NOT NULL,         -- env.json as it was
    content_sha256    TEXT NOT NULL,         -- of the files added: the same run added again changes nothing
    added_at          TEXT NOT NULL,
    added_from        TEXT NOT NULL          -- the directory's path on the machine that added it
);
CREATE INDEX run_box ON run (box_id, kernel_release);

-- A configuration (samples.jsonl's group and config id); its parameters as JSON and one row each.
CREATE TABLE configuration (
    group_name   TEXT NOT NULL,
    config_id    TEXT NOT NULL,
    benchmark    TEXT NOT NULL,
    params_json  TEXT NOT NULL,
    PRIMARY KEY (group_name, config_id)
);
CREATE TABLE config_param (
    group_name  TEXT NOT NULL,
    config_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (group_name, config_id, name),
    FOREIGN KEY (group_name, config_id) REFERENCES configuration (group_name, config_id)
);

-- Every line of samples.jsonl, in file order (seq).
CREATE TABLE sample (
    run_id       TEXT NOT NULL REFERENCES run (run_id),
    seq          INTEGER NOT NULL,
    group_name   TEXT NOT NULL,
    config_id    TEXT NOT NULL,
    aa           TEXT,                       -- NULL, or 'B' on the A/A control's second label
    round        INTEGER NOT NULL,
    fork         INTEGER NOT NULL,
    iteration    INTEGER NOT NULL,
    start_time   TEXT NOT NULL,
    value        DOUBLE PRECISION NOT NULL,  -- as written, in unit
    unit         TEXT NOT NULL,              -- s/op (lower is better) or ops/s
    PRIMARY KEY (run_id, seq),
    FOREIGN KEY (group_name, config_id) REFERENCES configuration (group_name, config_id)
);
CREATE INDEX sample_config ON sample (group_name, config_id);

-- A sample's secondary metrics (results/README.md), in the order the line gave them (pos).
CREATE TABLE sample_metric (
    run_id  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    pos     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, seq, pos),
    FOREIGN KEY (run_id, seq) REFERENCES sample (run_id, seq)
);

-- rounds.jsonl, failures.json, skipped.json, and what reading the run left out.
CREATE TABLE run_round (
    run_id           TEXT NOT NULL REFERENCES run (run_id),
    seq              INTEGER NOT NULL,
    round            INTEGER NOT NULL,
    started          TEXT NOT NULL,
    finished         TEXT NOT NULL,
    order_json       TEXT NOT NULL,
    steal_fraction   DOUBLE PRECISION,       -- NULL where not recorded
    iowait_fraction  DOUBLE PRECISION,
    failed_json      TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE failure (
    run_id        TEXT NOT NULL REFERENCES run (run_id),
    seq           INTEGER NOT NULL,
    round         INTEGER NOT NULL,
    group_name    TEXT NOT NULL,
    config_id     TEXT NOT NULL,
    params_json   TEXT NOT NULL,
    error         TEXT NOT NULL,
    wrong_file    TEXT,                      -- wrong data: the first wrong file, offset and what; NULL otherwise
    wrong_offset  BIGINT,
    wrong_what    TEXT,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE skipped (
    run_id       TEXT NOT NULL REFERENCES run (run_id),
    seq          INTEGER NOT NULL,
    group_name   TEXT NOT NULL,
    benchmark    TEXT NOT NULL,
    params_json  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE run_note (
    run_id  TEXT NOT NULL REFERENCES run (run_id),
    seq     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Each configuration's primary metric in the run, as the report and history compute it (seconds per copy, or
-- ops/s): mean, SD and n over every sample, the rounds measured.
CREATE TABLE run_result (
    run_id      TEXT NOT NULL REFERENCES run (run_id),
    group_name  TEXT NOT NULL,
    config_id   TEXT NOT NULL,
    metric      TEXT NOT NULL,               -- time (s per copy) or opsPerSec
    unit        TEXT NOT NULL,               -- s or ops/s
    mean        DOUBLE PRECISION NOT NULL,
    sd          DOUBLE PRECISION,
    n           INTEGER NOT NULL,
    rounds      INTEGER NOT NULL,
    PRIMARY KEY (run_id, group_name, config_id),
    FOREIGN KEY (group_name, config_id) REFERENCES configuration (group_name, config_id)
);

-- The run's verdicts as the plot module judged them when the run was added (plot's RunVerdicts): kind 'control'
-- (the A/A control, B against A), 'vs_cp' (a configuration against its cp -r in the same rounds), 'vs_baseline'
-- (a figure's comparison against its baseline bar: flag on vs off, mode vs single ...), 'claim' (a study's claim).
CREATE TABLE verdict (
    run_id           TEXT NOT NULL REFERENCES run (run_id),
    seq              INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    group_name       TEXT,                   -- the configuration judged (NULL for a claim)
    config_id        TEXT,
    aa               TEXT,
    base_group       TEXT,                   -- what it was judged against
    base_config      TEXT,
    metric           TEXT,
    ratio            DOUBLE PRECISION,       -- the geometric mean of the per-round ratios (a claim: NULL)
    low              DOUBLE PRECISION,       -- its 95% interval; NULL where there is none
    high             DOUBLE PRECISION,
    n                INTEGER,                -- rounds paired
    verdict          TEXT NOT NULL,          -- faster, slower, same, less, more, inconclusive; a claim's outcome
    label            TEXT NOT NULL,          -- what the report calls it
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX verdict_kind ON verdict (kind, group_name, config_id);

-- For dashboards (Grafana, any SQL client): one row per run and configuration, the box, kernel and date, the
-- primary metric's mean with SD and n, and the ratio to cp -r in the same rounds with its 95% interval and verdict.
CREATE VIEW run_summary AS
SELECT b.name            AS box,
       b.box_id          AS box_id,
       r.kernel_release  AS kernel,
       r.run_id          AS run_id,
       r.created_at      AS run_date,
       r.created_epoch   AS run_time,
       r.state           AS run_state,
       rr.group_name     AS group_name,
       rr.config_id      AS config_id,
       c.params_json     AS params,
       rr.metric         AS metric,
       rr.unit           AS unit,
       rr.mean           AS mean,
       rr.sd             AS sd,
       rr.n              AS n,
       rr.rounds         AS rounds,
       v.ratio           AS ratio_vs_cp,
       v.low             AS ratio_vs_cp_low,
       v.high            AS ratio_vs_cp_high,
       v.verdict         AS verdict_vs_cp,
       ctl.verdict       AS run_control
FROM run_result rr
JOIN run r ON r.run_id = rr.run_id
JOIN box b ON b.box_id = r.box_id
JOIN configuration c ON c.group_name = rr.group_name AND c.config_id = rr.config_id
LEFT JOIN verdict v ON v.run_id = rr.run_id AND v.kind = 'vs_cp' AND v.group_name = rr.group_name
                   AND v.config_id = rr.config_id AND v.aa IS NULL
LEFT JOIN verdict ctl ON ctl.run_id = rr.run_id AND ctl.kind = 'control';
