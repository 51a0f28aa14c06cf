package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a dense row-major matrix: {@code out[j] = sum_i a[i][j]}, the reduction over
 * leading axes behind every bias gradient.
 *
 * <p>Each column is accumulated in double, row 0 first, and rounded once at the end. The vector
 * twin adds whole rows into a double accumulator row, lane j holding column j, so it performs
 * exactly the scalar twin's additions in the same order: both are bitwise equal (to each other
 * and to a plain double loop).
 */
public final class ColumnSums {
  private ColumnSums() {}

  /**
   * Sums the {@code rows x cols} matrix at {@code a[off]} (row stride {@code cols}) over its rows.
   *
   * @param out receives the {@code cols} sums at {@code out[outOff]}
   */
  public static void sum(float[] a, int off, int rows, int cols, float[] out, int outOff) {
    double[] acc = new double[cols];
    if (Simd.ENABLED) Vector.accumulate(a, off, rows, cols, acc);
    else accumulateScalar(a, off, rows, cols, acc);
    for (int j = 0; j < cols; j++) out[outOff + j] = (float) acc[j];
  }

  /** Float64 {@link #sum(float[], int, int, int, float[], int)}. */
  public static void sum(double[] a, int off, int rows, int cols, double[] out, int outOff) {
    double[] acc = new double[cols];
    if (Simd.ENABLED) Vector.accumulate(a, off, rows, cols, acc);
    else accumulateScalar(a, off, rows, cols, acc);
    System.arraycopy(acc, 0, out, outOff, cols);
  }

  // ---- scalar twins ----

  static void accumulateScalar(float[] a, int off, int rows, int cols, double[] acc) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0, p = off + i * cols; j < cols; j++, p++) acc[j] += a[p];
    }
  }

  static void accumulateScalar(double[] a, int off, int rows, int cols, double[] acc) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0, p = off + i * cols; j < cols; j++, p++) acc[j] += a[p];
    }
  }

  /** The Vector API twins; a nested class so that nothing loads the vector module when SIMD is off. */
  static final class Vector {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    // Floats that widen into one double vector: half the bit size.
    private static final VectorSpecies<Float> HALF =
        VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private Vector() {}

    static void accumulate(float[] a, int off, int rows, int cols, double[] acc) {
      int step = D.length(), end = D.loopBound(cols);
      for (int i = 0; i < rows; i++) {
        int p = off + i * cols, j = 0;
        for (; j < end; j += step) {
          DoubleVector x = (DoubleVector) FloatVector.fromArray(HALF, a, p + j).convertShape(VectorOperators.F2D, D, 0);
          DoubleVector.fromArray(D, acc, j).add(x).intoArray(acc, j);
        }
        for (; j < cols; j++) acc[j] += a[p + j];
      }
    }

    static void accumulate(double[] a, int off, int rows, int cols, double[] acc) {
      int step = D.length(), end = D.loopBound(cols);
      for (int i = 0; i < rows; i++) {
        int p = off + i * cols, j = 0;
        for (; j < end; j += step) {
          DoubleVector.fromArray(D, acc, j).add(DoubleVector.fromArray(D, a, p + j)).intoArray(acc, j);
        }
        for (; j < cols; j++) acc[j] += a[p + j];
      }
    }
  }
}
