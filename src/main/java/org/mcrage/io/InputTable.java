package org.mcrage.io;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table read for a run, with what identifies its version.
 *
 * @param rows the rows, as read
 * @param location the path or table name
 * @param format the format it was read as
 * @param version what identifies this version of it: a Delta version, or file sizes and times
 */
public record InputTable(
    Dataset<Row> rows, String location, String format, Map<String, Object> version) {}
