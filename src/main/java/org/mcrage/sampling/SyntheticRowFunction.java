package org.mcrage.sampling;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.mcrage.diffusion.CddpmSampler;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in the executors: turns sampling tasks into output rows of the input's schema plus the
 * lineage columns.
 *
 * <p>Features come from the diffusion model, decoded to the original units by the group's own
 * decoding (categorical levels seen in the group, nulls where the missingness indicator is set);
 * the label and demographic columns come from the inverse of phi (null for a {@code missing}
 * level); any other input column is null.
 */
final class SyntheticRowFunction implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticRowFunction.class);

  private final Broadcast<byte[]> model;
  private final String modelKey;
  private final FeatureEncoder encoder;
  private final GroupIndex index;
  private final int width;
  private final int[] featurePositions;
  private final int[] groupPositions;
  private final String runId;
  private final String device;
  private final CddpmSampler.Options sampling;

  SyntheticRowFunction(
      Broadcast<byte[]> model,
      String modelKey,
      FeatureEncoder encoder,
      GroupIndex index,
      StructType outputSchema,
      String runId,
      String device,
      CddpmSampler.Options sampling) {
    this.model = model;
    this.modelKey = modelKey;
    this.encoder = encoder;
    this.index = index;
    this.width = outputSchema.size();
    this.featurePositions =
        encoder.features().stream().mapToInt(f -> outputSchema.fieldIndex(f.name())).toArray();
    this.groupPositions = index.columns().stream().mapToInt(outputSchema::fieldIndex).toArray();
    this.runId = runId;
    this.device = device;
    this.sampling = sampling;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> tasks) {
    List<Row> rows = new ArrayList<>();
    while (tasks.hasNext()) {
      SamplingTask task = SamplingTask.fromRow(tasks.next());
      long start = System.nanoTime();
      CddpmSampler sampler = ExecutorModels.sampler(modelKey, model.value(), device, sampling);
      float[][] generated = sampler.sample(task.group(), task.rows(), task.seed());
      LOG.info(
          "sample task: {} rows of group {} in {} ms",
          generated.length,
          task.group(),
          (System.nanoTime() - start) / 1_000_000);
      List<Object> groupValues = index.values(task.group());
      for (float[] scaled : generated) {
        rows.add(toRow(encoder.decode(scaled, task.group()), groupValues, task.group()));
      }
    }
    return rows.iterator();
  }

  private Row toRow(Object[] features, List<Object> groupValues, int group) {
    Object[] values = new Object[width];
    for (int i = 0; i < featurePositions.length; i++) {
      values[featurePositions[i]] = features[i];
    }
    for (int i = 0; i < groupPositions.length; i++) {
      values[groupPositions[i]] = GroupIndex.columnValue(groupValues.get(i));
    }
    values[width - LineageColumns.ALL.size()] = true;
    values[width - LineageColumns.ALL.size() + 1] = group;
    values[width - LineageColumns.ALL.size() + 2] = runId;
    return RowFactory.create(values);
  }
}
