"""Airflow DAG: rebalance an EHR table with MCRAGE, then evaluate the run, once a day.

The run id is the run's logical date (``{{ ds }}``): a retried or cleared task rewrites the same
run's rows (``--mode append`` replaces only rows with that run id), so retries are idempotent.

Three ways to launch the same two commands; set ``BACKEND`` (or the Airflow Variable
``mcrage_backend``) to one of them:

* ``spark-submit``: ``SparkSubmitOperator`` against the ``spark_default`` connection (YARN,
  Kubernetes or a standalone master). Needs ``apache-airflow-providers-apache-spark``.
* ``databricks``: ``DatabricksSubmitRunOperator`` (runtime 17.x), as in
  ``deploy/databricks/job.json``. Needs ``apache-airflow-providers-databricks``.
* ``emr``: ``EmrAddStepsOperator`` + ``EmrStepSensor`` on a running EMR 7 cluster (jar built with
  ``-Pspark35``), as in ``deploy/emr/step.json``. Needs ``apache-airflow-providers-amazon``.

Credentials come from Airflow connections and the cluster's instance profile; none are here.
"""

from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.models import Variable

MAIN_CLASS = "org.mcrage.cli.Main"
JOB_JAR = "s3://my-bucket/mcrage/jars/mcrage-spark-0.1.0.jar"
NATIVE_JAR = "s3://my-bucket/mcrage/jars/pytorch-native-cpu-2.7.1-linux-x86_64.jar"
CONFIG = "job.conf"
CONFIG_URI = "s3://my-bucket/mcrage/conf/job.conf"
INPUT = "s3a://my-bucket/ehr/encounters"
OUTPUT = "s3a://my-bucket/ehr/encounters_rebalanced"
REPORTS = "s3a://my-bucket/ehr/mcrage_reports/{{ ds }}"

REBALANCE_ARGS = [
    "rebalance",
    "--config", CONFIG,
    "--input", INPUT,
    "--output", OUTPUT,
    "--mode", "append",
    "--run-id", "{{ ds }}",
    "--device", "cpu",
]

EVALUATE_ARGS = [
    "evaluate",
    "--config", CONFIG,
    "--seeds", "5",
    "--report-dir", REPORTS,
]

SPARK_CONF = {
    "spark.driver.memory": "16g",
    "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.executorEnv.DJL_CACHE_DIR": "/mnt/tmp/djl-cache",
    "spark.executorEnv.OMP_WAIT_POLICY": "PASSIVE",
    "spark.task.cpus": "2",
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}

BACKEND = Variable.get("mcrage_backend", default_var="spark-submit")

with DAG(
    dag_id="mcrage_rebalance",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": pendulum.duration(minutes=10)},
    tags=["mcrage", "fairness", "spark"],
) as dag:
    if BACKEND == "spark-submit":
        from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

        def submit(task_id: str, args: list[str]) -> SparkSubmitOperator:
            return SparkSubmitOperator(
                task_id=task_id,
                conn_id="spark_default",
                application=JOB_JAR,
                java_class=MAIN_CLASS,
                jars=NATIVE_JAR,
                files=CONFIG_URI,
                conf=SPARK_CONF,
                env_vars={"DJL_CACHE_DIR": "/mnt/tmp/djl-cache", "OMP_WAIT_POLICY": "PASSIVE"},
                application_args=args,
                name=f"mcrage-{task_id}-{{{{ ds }}}}",
            )

        rebalance = submit("rebalance", REBALANCE_ARGS)
        evaluate = submit("evaluate", EVALUATE_ARGS)

    elif BACKEND == "databricks":
        from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator

        CLUSTER = {
            "spark_version": "17.3.x-scala2.13",
            "node_type_id": "m6i.2xlarge",
            "driver_node_type_id": "r6i.2xlarge",
            "num_workers": 2,
            "spark_conf": {
                "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
                "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
                "spark.task.cpus": "2",
            },
            "spark_env_vars": {
                "DJL_CACHE_DIR": "/local_disk0/tmp/djl-cache",
                "OMP_WAIT_POLICY": "PASSIVE",
            },
        }
        LIBRARIES = [
            {"jar": "/Volumes/main/mcrage/jars/mcrage-spark-0.1.0.jar"},
            {"jar": "/Volumes/main/mcrage/jars/pytorch-native-cpu-2.7.1-linux-x86_64.jar"},
        ]

        def databricks_args(args: list[str]) -> list[str]:
            return [
                "/Volumes/main/mcrage/conf/job.conf" if value == CONFIG else value
                for value in args
            ]

        def submit(task_id: str, args: list[str]) -> DatabricksSubmitRunOperator:
            return DatabricksSubmitRunOperator(
                task_id=task_id,
                databricks_conn_id="databricks_default",
                new_cluster=CLUSTER,
                libraries=LIBRARIES,
                spark_jar_task={
                    "main_class_name": MAIN_CLASS,
                    "parameters": databricks_args(args),
                },
                run_name=f"mcrage-{task_id}-{{{{ ds }}}}",
            )

        rebalance = submit("rebalance", REBALANCE_ARGS)
        evaluate = submit("evaluate", EVALUATE_ARGS)

    elif BACKEND == "emr":
        from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator
        from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor

        CLUSTER_ID = "{{ var.value.mcrage_emr_cluster_id }}"

        def step(task_id: str, args: list[str]) -> dict:
            submit_args = ["spark-submit", "--deploy-mode", "cluster", "--class", MAIN_CLASS]
            for key, value in SPARK_CONF.items():
                submit_args += ["--conf", f"{key}={value}"]
            submit_args += [
                "--conf", "spark.yarn.appMasterEnv.DJL_CACHE_DIR=/mnt/tmp/djl-cache",
                "--conf", "spark.yarn.appMasterEnv.OMP_WAIT_POLICY=PASSIVE",
                "--jars", NATIVE_JAR + ",/usr/share/aws/delta/lib/delta-spark.jar,"
                "/usr/share/aws/delta/lib/delta-storage.jar",
                "--files", CONFIG_URI,
                JOB_JAR,
            ]
            return {
                "Name": f"mcrage-{task_id}-{{{{ ds }}}}",
                "ActionOnFailure": "CONTINUE",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": submit_args + args},
            }

        def submit(task_id: str, args: list[str]):
            add = EmrAddStepsOperator(
                task_id=f"{task_id}_add_step",
                job_flow_id=CLUSTER_ID,
                steps=[step(task_id, args)],
            )
            wait = EmrStepSensor(
                task_id=task_id,
                job_flow_id=CLUSTER_ID,
                step_id=f"{{{{ ti.xcom_pull(task_ids='{task_id}_add_step')[0] }}}}",
            )
            add >> wait
            return add, wait

        rebalance_add, rebalance = submit("rebalance", REBALANCE_ARGS)
        evaluate, evaluate_wait = submit("evaluate", EVALUATE_ARGS)

    else:
        raise ValueError(f"mcrage_backend {BACKEND!r}: use spark-submit, databricks or emr")

    rebalance >> evaluate
