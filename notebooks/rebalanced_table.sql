-- Queries a data team runs over the table `mcrage rebalance` wrote.
-- ${table} stands for the table: replace it by delta.`s3://my-bucket/ehr/encounters_rebalanced`
-- (a path) or by a metastore name (main.ehr.encounters_rebalanced). In a Databricks notebook,
-- set a widget: CREATE WIDGET TEXT table DEFAULT 'delta.`/Volumes/...`' and keep ${table}; in
-- Jupyter with PySpark, spark.sql(query.replace("${table}", table)). Columns other than the
-- lineage ones are the input's: here `diagnosis` is the label, `sex` a demographic and `age` a
-- feature, as in `mcrage demo`; rename them to your table's.
-- ${previous_version} (query 6) is a version number from query 5.
-- Statements end with ';' on its own line end; NotebookQueriesTest runs every one.

-- 1. Group counts, real vs synthetic: after a run every group has the same total.
SELECT mcrage_group,
       diagnosis,
       sex,
       count_if(NOT mcrage_synthetic) AS real_rows,
       count_if(mcrage_synthetic) AS synthetic_rows,
       count(*) AS total_rows
FROM ${table}
GROUP BY mcrage_group, diagnosis, sex
ORDER BY mcrage_group;

-- 2. Per-group feature summary, real and synthetic side by side.
SELECT mcrage_group,
       mcrage_synthetic,
       count(*) AS rows,
       round(avg(age), 2) AS age_mean,
       round(stddev(age), 2) AS age_sd,
       min(age) AS age_min,
       percentile_approx(age, 0.5) AS age_median,
       max(age) AS age_max
FROM ${table}
GROUP BY mcrage_group, mcrage_synthetic
ORDER BY mcrage_group, mcrage_synthetic;

-- 3. The runs in the table, and each run's rows.
SELECT mcrage_run_id,
       count_if(NOT mcrage_synthetic) AS real_rows,
       count_if(mcrage_synthetic) AS synthetic_rows
FROM ${table}
GROUP BY mcrage_run_id
ORDER BY mcrage_run_id;

-- 4. One run's synthetic rows (replace the id; the Airflow DAG uses the run date).
SELECT *
FROM ${table}
WHERE mcrage_run_id = (SELECT max(mcrage_run_id) FROM ${table})
  AND mcrage_synthetic
LIMIT 100;

-- 5. Commits, newest first. userMetadata holds the run's JSON: mcrage_run_id, seed and the path
--    of the run manifest (_mcrage/runs/<run-id>/manifest.json beside the table). On Databricks
--    you can also SELECT ... FROM (DESCRIBE HISTORY ${table}) and get_json_object(userMetadata,
--    '$.mcrage_run_id'); open-source Spark takes DESCRIBE HISTORY only as a statement.
DESCRIBE HISTORY ${table};

-- 6. Time travel: the previous version next to the current one, by group. ${previous_version}
--    is a literal version number from query 5 (Delta takes no expression there).
SELECT coalesce(now.mcrage_group, before.mcrage_group) AS mcrage_group,
       before.total_rows AS previous_rows,
       now.total_rows AS current_rows
FROM (SELECT mcrage_group, count(*) AS total_rows FROM ${table} GROUP BY mcrage_group) AS now
FULL OUTER JOIN (
  SELECT mcrage_group, count(*) AS total_rows
  FROM ${table} VERSION AS OF ${previous_version}
  GROUP BY mcrage_group
) AS before
ON now.mcrage_group = before.mcrage_group
ORDER BY mcrage_group;
