-- The zhizao warehouse, version 1 (DESIGN.md "Warehouse").
-- Money in yuan, land in 亩 (mu), energy in tonnes of standard coal (tce), emissions in tonnes
-- of the pack's pollutant equivalent. Pack-derived rows carry origin = 'pack'.

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE source (
    id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    address VARCHAR,
    published DATE,
    publisher VARCHAR,
    sha256 VARCHAR,              -- of the article text, when the warehouse saw it
    body VARCHAR,                -- the cleaned text facts' spans point into, when held
    note VARCHAR,
    origin VARCHAR NOT NULL      -- pack | news | import
);

-- Regions: counties (GB/T 2260), groups of the layout, functional areas; valid_to is exclusive.
CREATE TABLE region (
    code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    pinyin VARCHAR,
    level VARCHAR NOT NULL,      -- province | group | subgroup | county | functional_area
    kind VARCHAR,
    parent_code VARCHAR,
    region_group VARCHAR,        -- nearest ancestor of level 'group' (DESIGN: "group")
    subgroup VARCHAR,            -- nearest ancestor of level 'subgroup'
    valid_from DATE,
    valid_to DATE,
    code_status VARCHAR NOT NULL,
    role_zh VARCHAR,
    status VARCHAR NOT NULL,
    source_id VARCHAR,
    note VARCHAR
);
CREATE TABLE region_alias (alias VARCHAR NOT NULL, code VARCHAR NOT NULL, PRIMARY KEY (alias, code));
CREATE TABLE region_ancestor (code VARCHAR NOT NULL, ancestor_code VARCHAR NOT NULL, depth INTEGER NOT NULL,
                              PRIMARY KEY (code, ancestor_code));
CREATE TABLE region_succession (
    predecessor VARCHAR NOT NULL,
    successor VARCHAR NOT NULL,
    effective DATE NOT NULL,
    is_primary BOOLEAN NOT NULL,
    portion VARCHAR,
    status VARCHAR NOT NULL,
    source_id VARCHAR,
    PRIMARY KEY (predecessor, successor)
);
CREATE TABLE region_overlap (area_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, part VARCHAR NOT NULL,
                             status VARCHAR NOT NULL, source_id VARCHAR, note VARCHAR,
                             PRIMARY KEY (area_code, region_code));

-- Industries: GB/T 4754-2017 sections, divisions, groups, classes.
CREATE TABLE industry (
    code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    level VARCHAR NOT NULL,
    parent_code VARCHAR,
    section VARCHAR NOT NULL,
    division VARCHAR
);

-- Cluster systems (the city's, and each district's own).
CREATE TABLE cluster_system (
    id VARCHAR PRIMARY KEY,
    region_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    name_en VARCHAR,
    label VARCHAR,
    parent_system_id VARCHAR,
    status VARCHAR NOT NULL,
    source_id VARCHAR
);
CREATE TABLE cluster_tier (
    system_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    planned_count INTEGER,
    scale_yuan DOUBLE,
    PRIMARY KEY (system_id, key)
);
CREATE TABLE cluster (
    id VARCHAR PRIMARY KEY,
    system_id VARCHAR NOT NULL,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    tier VARCHAR NOT NULL,
    tier_rank INTEGER NOT NULL,
    parent_cluster_id VARCHAR,
    status VARCHAR NOT NULL,
    source_id VARCHAR,
    note VARCHAR
);
CREATE TABLE cluster_map (cluster_id VARCHAR NOT NULL, maps_to VARCHAR NOT NULL, PRIMARY KEY (cluster_id, maps_to));
-- cluster_industry holds leaf industries: a mapping given at division level is expanded.
CREATE TABLE cluster_industry (
    cluster_id VARCHAR NOT NULL,
    industry_code VARCHAR NOT NULL,
    share DOUBLE NOT NULL,
    basis VARCHAR NOT NULL,      -- source | project (the pack authors' own mapping)
    mapped_code VARCHAR NOT NULL, -- the code as the pack wrote it
    PRIMARY KEY (cluster_id, industry_code)
);

-- Chain templates.
CREATE TABLE chain (
    id VARCHAR PRIMARY KEY,
    cluster_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    name_en VARCHAR,
    region_code VARCHAR,
    status VARCHAR NOT NULL,
    source_id VARCHAR
);
CREATE TABLE chain_node (
    id VARCHAR PRIMARY KEY,      -- chain id + '/' + node id
    chain_id VARCHAR NOT NULL,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    stage VARCHAR NOT NULL,
    industry_code VARCHAR NOT NULL,
    weight DOUBLE NOT NULL
);
CREATE TABLE chain_edge (chain_id VARCHAR NOT NULL, from_node VARCHAR NOT NULL, to_node VARCHAR NOT NULL,
                         PRIMARY KEY (from_node, to_node));

CREATE TABLE park (
    id VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    region_code VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    functional_area_code VARCHAR,
    synthetic BOOLEAN NOT NULL,
    status VARCHAR,
    source_id VARCHAR
);

-- Enterprises and their yearly figures.
CREATE TABLE enterprise (
    uscc VARCHAR PRIMARY KEY,    -- 18-character 统一社会信用代码, check character validated (GB 32100-2015)
    name VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL, -- as recorded; successions map it onto later maps
    park_id VARCHAR,
    industry_code VARCHAR NOT NULL,
    founded DATE,
    synthetic BOOLEAN NOT NULL,
    source_id VARCHAR             -- the import batch or source it came from
);
CREATE TABLE enterprise_year (
    uscc VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    revenue DOUBLE,               -- 营业收入, yuan
    output_value DOUBLE,          -- 工业总产值, yuan
    value_added DOUBLE,           -- 工业增加值, yuan
    tax DOUBLE,                   -- 实缴税金, yuan
    profit DOUBLE,                -- 利润总额, yuan
    land_mu DOUBLE,               -- 用地面积, 亩
    energy_tce DOUBLE,            -- 综合能耗, tonnes of standard coal
    emission_equiv DOUBLE,        -- 主要污染物排放当量, tonnes
    rd_expense DOUBLE,            -- R&D经费支出, yuan
    employees INTEGER,            -- 年平均职工人数
    fixed_investment DOUBLE,      -- 工业投资, yuan
    tech_renovation_investment DOUBLE, -- 技改投资, yuan
    main_business_share DOUBLE,   -- 主营业务收入 / 营业收入, 0..1
    PRIMARY KEY (uscc, year)
);
CREATE TABLE enterprise_node (uscc VARCHAR NOT NULL, node_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
                              PRIMARY KEY (uscc, node_id));
CREATE TABLE supply_link (buyer VARCHAR NOT NULL, supplier VARCHAR NOT NULL, year SMALLINT NOT NULL,
                          amount DOUBLE NOT NULL, PRIMARY KEY (buyer, supplier, year));
CREATE TABLE honour (
    uscc VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,        -- an honour kind of the pack's ladder (专精特新, 智能工厂 ...)
    level VARCHAR NOT NULL,       -- national | municipal | district
    year SMALLINT NOT NULL,       -- year recognised
    source_id VARCHAR,
    PRIMARY KEY (uscc, kind, level, year)
);

-- Published facts, and the target register.
CREATE TABLE fact (
    id VARCHAR PRIMARY KEY,
    entity VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,
    entity_code VARCHAR,          -- the region or park the entity resolves to
    metric VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    period VARCHAR,
    kind VARCHAR NOT NULL,        -- actual | target
    cluster VARCHAR,              -- wording of the source
    cluster_id VARCHAR,           -- the pack's cluster, when one fits
    qualifier VARCHAR,
    source_id VARCHAR NOT NULL,
    quote VARCHAR,
    span_start INTEGER,
    span_end INTEGER,
    status VARCHAR,
    origin VARCHAR NOT NULL       -- pack | news | import
);
CREATE TABLE target (
    id VARCHAR PRIMARY KEY,
    scope VARCHAR NOT NULL,       -- region | cluster | park | enterprise
    scope_id VARCHAR NOT NULL,
    cluster_id VARCHAR,           -- for a region's target about one cluster
    metric VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    year SMALLINT,                -- target year
    qualifier VARCHAR,
    baseline_value DOUBLE,
    baseline_year SMALLINT,
    source_id VARCHAR,
    fact_id VARCHAR,
    status VARCHAR,
    proposed BOOLEAN NOT NULL DEFAULT FALSE,   -- offered by the news reader, not yet accepted
    origin VARCHAR NOT NULL,
    note VARCHAR
);

-- People and what they did.
CREATE TABLE app_user (
    name VARCHAR PRIMARY KEY,     -- DESIGN: user(name, role, region_code)
    role VARCHAR NOT NULL,
    region_code VARCHAR,
    password_hash VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE audit (
    "at" TIMESTAMP NOT NULL DEFAULT current_timestamp,  -- quoted: AT is a keyword in DuckDB 2
    actor VARCHAR NOT NULL,       -- DESIGN: user
    action VARCHAR NOT NULL,
    object VARCHAR,
    detail VARCHAR
);
CREATE TABLE import_batch (
    id VARCHAR PRIMARY KEY,
    "at" TIMESTAMP NOT NULL DEFAULT current_timestamp,  -- quoted: AT is a keyword in DuckDB 2
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    rows_loaded INTEGER NOT NULL,
    detail VARCHAR
);

-- Where each region's figures roll up on the map of a given day: follow primary successions in
-- force by then (江北区 2023 -> 两江新区 on any day from 2025-11-06). region_current is today's map.
CREATE MACRO region_map(on_day) AS TABLE
    WITH RECURSIVE walk(code, current_code, depth) AS (
        SELECT code, code, 0 FROM region
        UNION ALL
        SELECT w.code, s.successor, w.depth + 1
        FROM walk w JOIN region_succession s
          ON s.predecessor = w.current_code AND s.is_primary AND s.effective <= on_day
        WHERE w.depth < 20
    )
    SELECT code, arg_max(current_code, depth) AS current_code FROM walk GROUP BY code;
CREATE VIEW region_current AS SELECT * FROM region_map(current_date);
