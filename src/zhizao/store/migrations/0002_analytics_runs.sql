-- Analytics runs. Each result table (mujun_score, tier_screening, chain_coverage, recommendation,
-- cluster_figures, ...) is created by store/results.py from the module's output columns, with
-- run_id and year first; rows of every run are kept, readers take the latest run for a year.
CREATE TABLE run (
    id VARCHAR PRIMARY KEY,
    started TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished TIMESTAMP,
    command VARCHAR NOT NULL,
    engine VARCHAR NOT NULL,
    year SMALLINT,
    params VARCHAR,
    summary VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'running'   -- running | done | failed
);
