package org.mcrage.groups;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the label and demographic combinations of a plain Parquet table from the dictionary ids of
 * its column chunks, without turning a value into a Java object per row.
 *
 * <p>A {@code groupBy} over string columns decodes every row's string from the column dictionary
 * and hashes it (bench groups: about three times the CPU of reading the same columns). The columns
 * that define groups are categorical, so Parquet writers store them dictionary-encoded: each page
 * is a run-length/bit-packed list of small integer ids into a per-chunk dictionary. This counter
 * decodes those ids in bulk, one task per file, maps each chunk's dictionary once to the file's own
 * value codes, and counts code tuples; only the distinct values become Java objects.
 *
 * <p>It answers only where it is exact: the dataset must be a bare Parquet scan (no filter,
 * projection or cache over it; not Delta, whose deletion vectors and column mapping change what a
 * file's rows mean), every column a string, int, long, short or byte column stored in the files
 * under its own name, not a partition column, and every data page dictionary-encoded. Anything else
 * returns empty and the caller counts with Spark.
 */
public final class ParquetGroupCounter {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetGroupCounter.class);

  /** Distinct values one column may have within one file (codes are packed 16 bits each). */
  private static final int MAX_CODES = 1 << 16;

  /** Most columns a combination key packs (4 x 16 bits in a long). */
  private static final int MAX_COLUMNS = 4;

  /** Rows decoded per column before their codes are combined. */
  private static final int CHUNK_ROWS = 8192;

  private ParquetGroupCounter() {}

  /**
   * Counts every combination of the columns' values, nulls included, as a {@code groupBy(columns)
   * .count()} would.
   *
   * @param rows the table
   * @param columns the label and demographic columns
   * @return rows of (values..., count), in no particular order; empty when the table is not a bare
   *     Parquet scan this counter can read exactly
   */
  public static Optional<List<Row>> count(Dataset<Row> rows, List<String> columns) {
    Optional<HadoopFsRelation> relation = parquetRelation(rows);
    if (relation.isEmpty() || columns.isEmpty() || columns.size() > MAX_COLUMNS) {
      return Optional.empty();
    }
    StructType schema = rows.schema();
    List<Kind> kinds = new ArrayList<>();
    for (String column : columns) {
      Optional<Kind> kind = kindOf(schema, relation.get().partitionSchema(), column);
      if (kind.isEmpty()) {
        return Optional.empty();
      }
      kinds.add(kind.get());
    }
    List<String> files = Arrays.asList(relation.get().inputFiles());
    if (files.isEmpty()) {
      return Optional.empty();
    }
    return countFiles(rows.sparkSession(), files, columns, kinds);
  }

  private static Optional<HadoopFsRelation> parquetRelation(Dataset<Row> rows) {
    LogicalPlan plan = rows.queryExecution().optimizedPlan();
    if (plan instanceof LogicalRelation logical
        && logical.relation() instanceof HadoopFsRelation files
        // Exactly Parquet: Delta's reader subclasses ParquetFileFormat but its files alone do not
        // say which rows are deleted.
        && files.fileFormat().getClass() == ParquetFileFormat.class) {
      return Optional.of(files);
    }
    return Optional.empty();
  }

  /** The Spark column types this counter reads, each with the Parquet type that stores it. */
  enum Kind {
    STRING(DataTypes.StringType, PrimitiveType.PrimitiveTypeName.BINARY),
    INT(DataTypes.IntegerType, PrimitiveType.PrimitiveTypeName.INT32),
    SHORT(DataTypes.ShortType, PrimitiveType.PrimitiveTypeName.INT32),
    BYTE(DataTypes.ByteType, PrimitiveType.PrimitiveTypeName.INT32),
    LONG(DataTypes.LongType, PrimitiveType.PrimitiveTypeName.INT64);

    private final DataType sparkType;
    final PrimitiveType.PrimitiveTypeName physical;

    Kind(DataType sparkType, PrimitiveType.PrimitiveTypeName physical) {
      this.sparkType = sparkType;
      this.physical = physical;
    }

    /** Returns a dictionary entry as the Java value Spark gives a column of this type. */
    Object decode(Dictionary dictionary, int id) {
      return switch (this) {
        case STRING -> dictionary.decodeToBinary(id).toStringUsingUTF8();
        case INT -> dictionary.decodeToInt(id);
        case SHORT -> (short) dictionary.decodeToInt(id);
        case BYTE -> (byte) dictionary.decodeToInt(id);
        case LONG -> dictionary.decodeToLong(id);
      };
    }
  }

  private static Optional<Kind> kindOf(StructType schema, StructType partitions, String column) {
    if (Arrays.asList(partitions.fieldNames()).contains(column)
        || !Arrays.asList(schema.fieldNames()).contains(column)) {
      return Optional.empty();
    }
    DataType type = schema.apply(column).dataType();
    return Arrays.stream(Kind.values()).filter(kind -> kind.sparkType.equals(type)).findFirst();
  }

  private static Optional<List<Row>> countFiles(
      SparkSession spark, List<String> files, List<String> columns, List<Kind> kinds) {
    Map<String, String> hadoop = new HashMap<>();
    for (Map.Entry<String, String> entry : spark.sessionState().newHadoopConf()) {
      hadoop.put(entry.getKey(), entry.getValue());
    }
    FileCounts task = new FileCounts(List.copyOf(columns), List.copyOf(kinds), hadoop);
    List<FileResult> results =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(files, files.size())
            .mapPartitions(task)
            .collect();

    Map<List<Object>, Long> merged = new LinkedHashMap<>();
    for (FileResult result : results) {
      if (result.unreadable() != null) {
        LOG.debug(
            "groups: counting with Spark instead of the Parquet ids: {}", result.unreadable());
        return Optional.empty();
      }
      result.counts().forEach((values, count) -> merged.merge(values, count, Long::sum));
    }
    List<Row> combinations = new ArrayList<>();
    merged.forEach(
        (values, count) -> {
          Object[] fields = values.toArray(new Object[values.size() + 1]);
          fields[values.size()] = count;
          combinations.add(RowFactory.create(fields));
        });
    return Optional.of(combinations);
  }

  /**
   * One file's counts, or why it could not be read exactly.
   *
   * @param counts rows by combination of values (nulls as null)
   * @param unreadable null when the counts are exact, else the reason
   */
  record FileResult(Map<List<Object>, Long> counts, String unreadable) implements Serializable {}

  /** The task: counts the combinations in each file of its partition. */
  private static final class FileCounts
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<String>, FileResult>,
          Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> columns;
    private final List<Kind> kinds;
    private final Map<String, String> hadoop;

    FileCounts(List<String> columns, List<Kind> kinds, Map<String, String> hadoop) {
      this.columns = columns;
      this.kinds = kinds;
      this.hadoop = hadoop;
    }

    @Override
    public Iterator<FileResult> call(Iterator<String> files) {
      Configuration conf = configuration(hadoop);
      List<FileResult> results = new ArrayList<>();
      while (files.hasNext()) {
        String file = files.next();
        try {
          results.add(new FileResult(countFile(conf, file), null));
        } catch (Unreadable e) {
          results.add(new FileResult(Map.of(), e.getMessage()));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read Parquet file " + file, e);
        }
      }
      return results.iterator();
    }

    private Map<List<Object>, Long> countFile(Configuration conf, String file) throws IOException {
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(new Path(file), conf),
              HadoopReadOptions.builder(conf).build())) {
        MessageType schema = reader.getFooter().getFileMetaData().getSchema();
        MessageType requested = requested(schema);
        reader.setRequestedSchema(requested);
        List<ColumnCodes> codes = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          codes.add(new ColumnCodes(requested.getColumns().get(i), kinds.get(i)));
        }
        CodeCounter counter = new CodeCounter();
        PageReadStore rowGroup;
        while ((rowGroup = reader.readNextRowGroup()) != null) {
          countRowGroup(rowGroup, codes, counter);
        }
        return counter.decode(codes);
      }
    }

    private MessageType requested(MessageType schema) {
      List<Type> fields = new ArrayList<>();
      for (String column : columns) {
        if (!schema.containsField(column)) {
          throw new Unreadable("column " + column + " is not in every file under that name");
        }
        Type field = schema.getType(column);
        if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
          throw new Unreadable("column " + column + " is not a flat primitive column");
        }
        fields.add(field);
      }
      return new MessageType(schema.getName(), fields);
    }

    private static void countRowGroup(
        PageReadStore rowGroup, List<ColumnCodes> codes, CodeCounter counter) {
      for (ColumnCodes column : codes) {
        column.open(rowGroup.getPageReader(column.descriptor));
      }
      long rows = rowGroup.getRowCount();
      int[][] chunk = new int[codes.size()][CHUNK_ROWS];
      for (long done = 0; done < rows; ) {
        int n = (int) Math.min(CHUNK_ROWS, rows - done);
        for (int c = 0; c < codes.size(); c++) {
          codes.get(c).fill(chunk[c], n);
        }
        counter.add(chunk, n, codes);
        done += n;
      }
    }
  }

  /**
   * Hadoop configurations built in this JVM, by their settings: an executor builds each once, not
   * once per task (a session's configuration holds about a thousand settings).
   */
  private static final Map<Map<String, String>, Configuration> CONFIGURATIONS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Configuration configuration(Map<String, String> settings) {
    if (CONFIGURATIONS.size() > 8) {
      CONFIGURATIONS.clear();
    }
    return CONFIGURATIONS.computeIfAbsent(
        settings,
        key -> {
          Configuration conf = new Configuration(false);
          key.forEach(conf::set);
          return conf;
        });
  }

  /** Thrown inside a task when a file is not in the shape this counter reads exactly. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * One column of one file: its values get codes 1.. in the order met (0 is null); each row group's
   * dictionary is mapped to those codes once, and its pages yield one code per row.
   */
  static final class ColumnCodes {
    final ColumnDescriptor descriptor;
    private final Kind kind;
    private final int maxDefinition;
    private final int definitionWidth;
    private final Map<Object, Integer> codeOfValue = new HashMap<>();
    final List<Object> values = new ArrayList<>(List.of(NULL));

    private PageReader pages;
    private int[] dictionaryCodes = new int[0];
    private int[] pageCodes = new int[0];
    private int pageSize;
    private int pagePosition;
    private int[] definitions = new int[0];
    private int[] ids = new int[0];

    ColumnCodes(ColumnDescriptor descriptor, Kind kind) {
      this.descriptor = descriptor;
      this.kind = kind;
      this.maxDefinition = descriptor.getMaxDefinitionLevel();
      this.definitionWidth = 32 - Integer.numberOfLeadingZeros(maxDefinition);
      String name = String.join(".", descriptor.getPath());
      if (descriptor.getMaxRepetitionLevel() > 0) {
        throw new Unreadable("column " + name + " is repeated");
      }
      PrimitiveType.PrimitiveTypeName stored = descriptor.getPrimitiveType().getPrimitiveTypeName();
      if (stored != kind.physical) {
        throw new Unreadable("column " + name + " is stored as " + stored);
      }
    }

    void open(PageReader reader) {
      this.pages = reader;
      this.pageSize = 0;
      this.pagePosition = 0;
      DictionaryPage page = reader.readDictionaryPage();
      dictionaryCodes = page == null ? new int[0] : mapDictionary(page);
    }

    private int[] mapDictionary(DictionaryPage page) {
      Dictionary dictionary;
      try {
        dictionary = page.getEncoding().initDictionary(descriptor, page);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int[] mapped = new int[dictionary.getMaxId() + 1];
      for (int id = 0; id < mapped.length; id++) {
        mapped[id] = codeOf(kind.decode(dictionary, id));
      }
      return mapped;
    }

    private int codeOf(Object value) {
      Integer code = codeOfValue.get(value);
      if (code == null) {
        code = values.size();
        if (code >= MAX_CODES) {
          throw new Unreadable("a column has over " + MAX_CODES + " values in one file");
        }
        codeOfValue.put(value, code);
        values.add(value);
      }
      return code;
    }

    /** Writes the codes of the next {@code n} rows into {@code out}. */
    void fill(int[] out, int n) {
      int filled = 0;
      while (filled < n) {
        if (pagePosition == pageSize) {
          nextPage();
        }
        int take = Math.min(n - filled, pageSize - pagePosition);
        System.arraycopy(pageCodes, pagePosition, out, filled, take);
        pagePosition += take;
        filled += take;
      }
    }

    private void nextPage() {
      DataPage page = pages.readPage();
      if (page == null) {
        throw new IllegalStateException(
            "Parquet column chunk ended before its row group's row count");
      }
      page.accept(
          new DataPage.Visitor<Void>() {
            @Override
            public Void visit(DataPageV1 v1) {
              decodeV1(v1);
              return null;
            }

            @Override
            public Void visit(DataPageV2 v2) {
              decodeV2(v2);
              return null;
            }
          });
    }

    private void decodeV1(DataPageV1 page) {
      byte[] bytes = bytesOf(page.getBytes());
      int count = page.getValueCount();
      int position = 0;
      if (maxDefinition > 0) {
        requireEncoding(page.getDlEncoding(), Encoding.RLE);
        int length = littleEndianInt(bytes, 0);
        HybridDecoder.decode(bytes, 4, definitionWidth, definitionsFor(count), count);
        position = 4 + length;
      }
      decodeValues(page.getValueEncoding(), bytes, position, count);
    }

    private void decodeV2(DataPageV2 page) {
      int count = page.getValueCount();
      if (maxDefinition > 0) {
        byte[] levels = bytesOf(page.getDefinitionLevels());
        HybridDecoder.decode(levels, 0, definitionWidth, definitionsFor(count), count);
      }
      decodeValues(page.getDataEncoding(), bytesOf(page.getData()), 0, count);
    }

    private int[] definitionsFor(int count) {
      if (definitions.length < count) {
        definitions = new int[count];
      }
      return definitions;
    }

    private void decodeValues(Encoding encoding, byte[] bytes, int position, int count) {
      int present = count;
      if (maxDefinition > 0) {
        present = 0;
        for (int i = 0; i < count; i++) {
          present += definitions[i] == maxDefinition ? 1 : 0;
        }
      }
      if (present > 0 && !encoding.usesDictionary()) {
        throw new Unreadable(
            "column " + String.join(".", descriptor.getPath()) + " has a " + encoding + " page");
      }
      if (ids.length < present) {
        ids = new int[present];
      }
      if (present > 0) {
        int idWidth = bytes[position] & 0xFF;
        HybridDecoder.decode(bytes, position + 1, idWidth, ids, present);
      }
      if (pageCodes.length < count) {
        pageCodes = new int[count];
      }
      if (present == count) {
        for (int i = 0; i < count; i++) {
          pageCodes[i] = dictionaryCodes[ids[i]];
        }
      } else {
        for (int i = 0, next = 0; i < count; i++) {
          pageCodes[i] = definitions[i] == maxDefinition ? dictionaryCodes[ids[next++]] : 0;
        }
      }
      pageSize = count;
      pagePosition = 0;
    }

    private static void requireEncoding(Encoding actual, Encoding expected) {
      if (actual != expected) {
        throw new Unreadable("definition levels encoded as " + actual);
      }
    }
  }

  private static byte[] bytesOf(org.apache.parquet.bytes.BytesInput input) {
    try {
      return input.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int littleEndianInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF)
        | (bytes[offset + 1] & 0xFF) << 8
        | (bytes[offset + 2] & 0xFF) << 16
        | (bytes[offset + 3] & 0xFF) << 24;
  }

  /** Marks a null value among a column's values (a Java null cannot be a map key here). */
  private static final Object NULL = new Object();

  /**
   * Counts packed code tuples in an open-addressing table; while the columns have few distinct
   * values (the usual case), a chunk is first counted in a dense array indexed by the mixed-radix
   * number of its codes.
   */
  static final class CodeCounter {
    /** Largest dense array: the product of the columns' distinct values (plus null) so far. */
    private static final int MAX_DENSE = 1 << 12;

    private long[] keys = new long[64];
    private long[] counts = new long[64];
    private boolean[] used = new boolean[64];
    private int size;
    private final long[] dense = new long[MAX_DENSE];
    private final int[] cell = new int[CHUNK_ROWS];

    void add(int[][] codes, int n, List<ColumnCodes> columns) {
      int[] radix = new int[codes.length];
      long cells = 1;
      for (int c = 0; c < codes.length; c++) {
        radix[c] = columns.get(c).values.size();
        cells *= radix[c];
      }
      if (cells <= MAX_DENSE) {
        addDense(codes, n, radix, (int) cells);
        return;
      }
      for (int row = 0; row < n; row++) {
        long key = 0;
        for (int[] column : codes) {
          key = key << 16 | column[row];
        }
        increment(key, 1);
      }
    }

    private void addDense(int[][] codes, int n, int[] radix, int cells) {
      System.arraycopy(codes[0], 0, cell, 0, n);
      for (int c = 1; c < codes.length; c++) {
        int[] column = codes[c];
        int r = radix[c];
        for (int row = 0; row < n; row++) {
          cell[row] = cell[row] * r + column[row];
        }
      }
      for (int row = 0; row < n; row++) {
        dense[cell[row]]++;
      }
      for (int index = 0; index < cells; index++) {
        if (dense[index] > 0) {
          increment(unpack(index, radix), dense[index]);
          dense[index] = 0;
        }
      }
    }

    /** Turns a mixed-radix cell number back into 16-bit packed codes. */
    private static long unpack(int index, int[] radix) {
      long key = 0;
      int shift = 0;
      for (int c = radix.length - 1; c >= 0; c--) {
        key |= (long) (index % radix[c]) << shift;
        index /= radix[c];
        shift += 16;
      }
      return key;
    }

    private void increment(long key, long by) {
      int mask = keys.length - 1;
      int slot = (int) (mix(key) & mask);
      while (used[slot] && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (!used[slot]) {
        used[slot] = true;
        keys[slot] = key;
        if (++size * 2 > keys.length) {
          grow();
          increment(key, by);
          return;
        }
      }
      counts[slot] += by;
    }

    private static long mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return h ^ (h >>> 29);
    }

    private void grow() {
      long[] oldKeys = keys;
      long[] oldCounts = counts;
      boolean[] oldUsed = used;
      keys = new long[oldKeys.length * 2];
      counts = new long[oldKeys.length * 2];
      used = new boolean[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldUsed[i]) {
          int slot = (int) (mix(oldKeys[i]) & mask);
          while (used[slot]) {
            slot = (slot + 1) & mask;
          }
          used[slot] = true;
          keys[slot] = oldKeys[i];
          counts[slot] = oldCounts[i];
        }
      }
    }

    Map<List<Object>, Long> decode(List<ColumnCodes> columns) {
      Map<List<Object>, Long> decoded = new HashMap<>();
      for (int i = 0; i < keys.length; i++) {
        if (used[i] && counts[i] > 0) {
          List<Object> values = new ArrayList<>(columns.size());
          for (int c = 0; c < columns.size(); c++) {
            int shift = 16 * (columns.size() - 1 - c);
            Object value = columns.get(c).values.get((int) (keys[i] >>> shift & 0xFFFF));
            values.add(value == NULL ? null : value);
          }
          decoded.merge(values, counts[i], Long::sum);
        }
      }
      return decoded;
    }
  }

  /** Parquet's run-length / bit-packed hybrid encoding, decoded in bulk. */
  static final class HybridDecoder {
    private HybridDecoder() {}

    /**
     * Decodes {@code n} values of {@code width} bits from {@code bytes} at {@code position}.
     *
     * @return the position after the last run read
     */
    static int decode(byte[] bytes, int position, int width, int[] out, int n) {
      int byteWidth = (width + 7) / 8;
      long mask = (1L << width) - 1;
      int done = 0;
      while (done < n) {
        int header = 0;
        int shift = 0;
        int b;
        do {
          b = bytes[position++] & 0xFF;
          header |= (b & 0x7F) << shift;
          shift += 7;
        } while ((b & 0x80) != 0);
        if ((header & 1) == 0) {
          int value = 0;
          for (int i = 0; i < byteWidth; i++) {
            value |= (bytes[position++] & 0xFF) << (8 * i);
          }
          int run = Math.min(header >>> 1, n - done);
          Arrays.fill(out, done, done + run, value);
          done += run;
        } else {
          int groups = header >>> 1;
          int take = Math.min(groups * 8, n - done);
          long buffer = 0;
          int bits = 0;
          int p = position;
          for (int i = 0; i < take; i++) {
            while (bits < width) {
              buffer |= (long) (bytes[p++] & 0xFF) << bits;
              bits += 8;
            }
            out[done + i] = (int) (buffer & mask);
            buffer >>>= width;
            bits -= width;
          }
          done += take;
          position += groups * width;
        }
      }
      return position;
    }
  }
}
