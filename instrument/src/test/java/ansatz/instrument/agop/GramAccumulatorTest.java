package ansatz.instrument.agop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link GramAccumulator} against plain loops, for rows and transposed (column) blocks, narrow
 * Grams of many rows (the parallel piece path) and wide ones (the lower block triangle).
 */
class GramAccumulatorTest {
  @Provide
  Arbitrary<int[]> shapes() {
    // {d, m}: narrow with many rows (pieces, incl. a ragged last piece), narrow few rows, wide (blocks)
    return Arbitraries.of(new int[] {1, 20000}, new int[] {9, 16384}, new int[] {17, 40001}, new int[] {7, 9}, new int[] {600, 15},
        new int[] {513, 8});
  }

  @Property(tries = 12)
  void matchesPlainSums(@ForAll("shapes") int[] shape, @ForAll boolean float32, @ForAll boolean columns, @ForAll long seed) {
    int d = shape[0], m = shape[1];
    Tensor g = Tensor.randn(new Rng(seed), DType.FLOAT64, m, d);
    if (float32) g = g.to(DType.FLOAT32);
    double[] x = g.toDoubleArray(); // what the accumulator sees (float32 values exactly)
    GramAccumulator acc = new GramAccumulator(d);
    if (columns) {
      Tensor t = g.t().copyIfNotDense();
      acc.addColumns(float32 ? t.floats() : t.doubles(), m, m);
    } else {
      acc.add(g, null);
    }
    double[] got = acc.sum();
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double want = 0, abs = 0;
        for (int r = 0; r < m; r++) {
          want += x[r * d + i] * x[r * d + j];
          abs += Math.abs(x[r * d + i] * x[r * d + j]);
        }
        assertEquals(want, got[i * d + j], (float32 ? 1e-5 : 1e-12) * Math.max(1, abs), "entry " + i + "," + j);
      }
    }
    assertEquals(m, acc.rows());
  }
}
