-- The wording a source used for a fact's or target's metric (规上工业总产值, 营业收入超百亿元企业 ...): pages
-- show a target in its own words, the metric key (industrial_output ...) stays the key analytics use.
ALTER TABLE fact ADD COLUMN metric_zh VARCHAR;
ALTER TABLE target ADD COLUMN metric_zh VARCHAR;
