package org.mcrage.groups;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.testing.SparkTestSession;

class ParquetGroupCounterTest {
  private static final List<String> COLUMNS = List.of("diagnosis", "sex", "site");

  @TempDir static Path folder;

  private static SparkSession spark;
  private static Dataset<Row> table;

  @BeforeAll
  static void writeTable() {
    spark = SparkTestSession.get();
    table = spark.createDataFrame(rows(20_000, 11), schema());
  }

  private static StructType schema() {
    return new StructType()
        .add("diagnosis", DataTypes.StringType)
        .add("sex", DataTypes.StringType)
        .add("site", DataTypes.IntegerType)
        .add("value", DataTypes.DoubleType);
  }

  /** Skewed categories with nulls, sorted in stretches so row groups hold different values. */
  private static List<Row> rows(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String diagnosis = random.nextInt(50) == 0 ? null : random.nextInt(4) == 0 ? "in" : "out";
      String sex =
          random.nextInt(30) == 0 ? null : i < n / 2 ? "F" : random.nextBoolean() ? "M" : "X";
      Integer site = random.nextInt(40) == 0 ? null : (i * 7 / n) * 10 + random.nextInt(3);
      rows.add(RowFactory.create(diagnosis, sex, site, random.nextGaussian()));
    }
    return rows;
  }

  private static Dataset<Row> written(String name, String... options) {
    String path = folder.resolve(name).toString();
    var writer = table.repartition(3).write().mode(SaveMode.Overwrite);
    for (int i = 0; i < options.length; i += 2) {
      writer = writer.option(options[i], options[i + 1]);
    }
    writer.parquet(path);
    return spark.read().parquet(path);
  }

  private static ParquetFileReader firstFile(Dataset<Row> parquet) {
    try {
      return ParquetFileReader.open(
          HadoopInputFile.fromPath(
              new org.apache.hadoop.fs.Path(parquet.inputFiles()[0]),
              new org.apache.hadoop.conf.Configuration()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Row> sparkCounts(Dataset<Row> rows) {
    return rows.groupBy(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
        .count()
        .collectAsList();
  }

  @Test
  void countsEqualSparksGroupByAcrossFilesRowGroupsAndPagesWithNulls() {
    Dataset<Row> parquet =
        written(
            "small-row-groups",
            "parquet.block.size",
            "4096",
            "parquet.page.size",
            "512",
            "parquet.page.row.count.limit",
            "300");

    Optional<List<Row>> counted = ParquetGroupCounter.count(parquet, COLUMNS);

    assertThat(firstFile(parquet).getRowGroups()).hasSizeGreaterThan(1);
    assertThat(counted).isPresent();
    assertThat(counted.get()).containsExactlyInAnyOrderElementsOf(sparkCounts(parquet));
    assertThat(counted.get().stream().mapToLong(row -> row.getLong(3)).sum()).isEqualTo(20_000);
  }

  @Test
  void readsVersionTwoDataPages() throws Exception {
    Dataset<Row> parquet = written("v2-pages", "parquet.writer.version", "v2");
    try (ParquetFileReader reader = firstFile(parquet)) {
      MessageType sex =
          new MessageType("s", reader.getFooter().getFileMetaData().getSchema().getType("sex"));
      reader.setRequestedSchema(sex);

      assertThat(reader.readNextRowGroup().getPageReader(sex.getColumns().get(0)).readPage())
          .isInstanceOf(DataPageV2.class);
    }

    Optional<List<Row>> counted = ParquetGroupCounter.count(parquet, COLUMNS);

    assertThat(counted).isPresent();
    assertThat(counted.get()).containsExactlyInAnyOrderElementsOf(sparkCounts(parquet));
  }

  @Test
  void countsManyCombinationsBeyondTheDenseArray() {
    String path = folder.resolve("wide").toString();
    table
        .withColumn(
            "site",
            col("site")
                .multiply(1000)
                .plus(
                    org.apache.spark.sql.functions.pmod(
                        org.apache.spark.sql.functions.hash(col("value")),
                        org.apache.spark.sql.functions.lit(300))))
        .repartition(2)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(path);
    Dataset<Row> parquet = spark.read().parquet(path);

    Optional<List<Row>> counted = ParquetGroupCounter.count(parquet, COLUMNS);

    assertThat(counted).isPresent();
    assertThat(counted.get()).hasSizeGreaterThan(4096);
    assertThat(counted.get()).containsExactlyInAnyOrderElementsOf(sparkCounts(parquet));
  }

  @Test
  void declinesPagesWithoutADictionarySoSparkCounts() {
    Dataset<Row> parquet = written("plain", "parquet.enable.dictionary", "false");

    GroupTable groups = GroupTable.fitAndCount(parquet, "diagnosis", List.of("sex"), 1, "warn");

    assertThat(ParquetGroupCounter.count(parquet, COLUMNS)).isEmpty();
    assertThat(groups.realRows())
        .isEqualTo(parquet.where(col("diagnosis").isNotNull().and(col("sex").isNotNull())).count());
  }

  @Test
  void declinesAnythingButABareParquetScan() {
    Dataset<Row> parquet = written("bare");
    String delta = folder.resolve("delta").toString();
    table.write().format("delta").mode(SaveMode.Overwrite).save(delta);

    assertThat(ParquetGroupCounter.count(parquet.where(col("value").gt(0)), COLUMNS)).isEmpty();
    assertThat(ParquetGroupCounter.count(parquet.select("diagnosis", "sex", "site"), COLUMNS))
        .isEmpty();
    assertThat(ParquetGroupCounter.count(spark.read().format("delta").load(delta), COLUMNS))
        .isEmpty();
    assertThat(ParquetGroupCounter.count(parquet, List.of("diagnosis", "value"))).isEmpty();
    assertThat(ParquetGroupCounter.count(parquet, COLUMNS)).isPresent();
  }

  @Test
  void declinesAPartitionColumn() {
    String path = folder.resolve("partitioned").toString();
    table.write().mode(SaveMode.Overwrite).partitionBy("sex").parquet(path);

    assertThat(ParquetGroupCounter.count(spark.read().parquet(path), COLUMNS)).isEmpty();
  }

  @Test
  void groupTableFromTheFilesEqualsGroupTableFromSpark() {
    Dataset<Row> parquet = written("group-table");

    GroupTable fromFiles =
        GroupTable.fitAndCount(
            parquet, "diagnosis", List.of("sex", "site"), 1, "warn", "level", FillPolicy.MAJORITY);
    GroupTable fromSpark =
        GroupTable.fitAndCount(
            parquet.where(col("value").isNotNull()),
            "diagnosis",
            List.of("sex", "site"),
            1,
            "warn",
            "level",
            FillPolicy.MAJORITY);

    assertThat(fromFiles.index()).isEqualTo(fromSpark.index());
    assertThat(fromFiles.groups()).isEqualTo(fromSpark.groups());
  }

  @Test
  void hybridDecoderReadsWhatParquetsEncoderWrote() throws Exception {
    Random random = new Random(3);
    ByteBufferAllocator allocator = new HeapByteBufferAllocator();
    for (int width = 0; width <= 20; width++) {
      int n = 1000 + random.nextInt(2000);
      int[] values = new int[n];
      RunLengthBitPackingHybridEncoder encoder =
          new RunLengthBitPackingHybridEncoder(width, 64, 1 << 16, allocator);
      for (int i = 0; i < n; i++) {
        // Runs and noise, so both RLE and bit-packed runs appear.
        values[i] = width == 0 ? 0 : (i / 50) % 2 == 0 ? 1 : random.nextInt(1 << width);
        encoder.writeInt(values[i]);
      }
      byte[] bytes = encoder.toBytes().toByteArray();
      encoder.close();

      int[] decoded = new int[n];
      ParquetGroupCounter.HybridDecoder.decode(bytes, 0, width, decoded, n);

      assertThat(decoded).as("width %d", width).containsExactly(values);
    }
  }
}
