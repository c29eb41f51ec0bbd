package io.streamdown.schemas;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The mergeable quantile sketch of a window: a DDSketch with a logarithmic index mapping, whose
 * quantiles are within {@link #RELATIVE_ACCURACY} of the true value (relative error), also after
 * any number of merges. The bucket count is bounded; past it the lowest buckets collapse, which
 * only affects quantiles far below the median.
 */
public final class QuantileSketches {

  /** Relative accuracy of every quantile read from a sketch: 1%. */
  public static final double RELATIVE_ACCURACY = 0.01;

  /** Bucket bound per sign: enough for values spanning ~18 orders of magnitude at 1%. */
  public static final int MAX_BUCKETS = 2048;

  private QuantileSketches() {}

  public static DDSketch empty() {
    return DDSketches.logarithmicCollapsingLowestDense(RELATIVE_ACCURACY, MAX_BUCKETS);
  }

  public static byte[] encode(DDSketch sketch) {
    GrowingByteArrayOutput output = GrowingByteArrayOutput.withInitialCapacity(64);
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return output.trimmedCopy();
  }

  /** Decodes a sketch; null or empty bytes give an empty sketch. */
  public static DDSketch decode(byte[] bytes) {
    DDSketch sketch = empty();
    if (bytes == null || bytes.length == 0) {
      return sketch;
    }
    try {
      sketch.decodeAndMergeWith(ByteArrayInput.wrap(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a quantile sketch: " + e.getMessage(), e);
    }
    return sketch;
  }

  /** A sketch of no values, encoded. */
  public static byte[] emptyEncoded() {
    return encode(empty());
  }
}
