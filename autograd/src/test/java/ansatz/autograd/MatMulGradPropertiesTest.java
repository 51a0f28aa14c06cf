package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.GradCheck;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * matmul with torch.matmul's rules: matrix x matrix, vectors on either side, batches with
 * broadcasting batch axes. Operands reach GEMM in different layouts (plain, a transposed view, a
 * column slice whose row stride exceeds its width, an expanded row with stride 0), which exercises
 * the transpose flags, leading dimensions and the copy fallback. The forward is compared with a
 * triple loop over the broadcast batch.
 */
class MatMulGradPropertiesTest {
  private static final int TRIES = 30;

  /** How an operand is presented to matmul. */
  enum Layout {
    /** the leaf itself */
    PLAIN,
    /** a leaf of the transposed shape, transposed back (a view with unit row stride) */
    TRANSPOSED,
    /** columns 1..k of a leaf two columns wider (row stride k + 2) */
    COLUMN_SLICE,
    /** a leaf with one row, expanded to m rows (row stride 0, GEMM gets a copy) */
    EXPANDED_ROW,
    /** for vectors: column 1 of a [k, 2] leaf (element stride 2) */
    STRIDED_VECTOR
  }

  /** One operand: its logical shape, the leaf's data, and the layout that turns the leaf into it. */
  record Operand(int[] shape, TensorData stored, Layout layout) {
    Tensor view(Tensor leaf) {
      int r = shape.length;
      return switch (layout) {
        case PLAIN -> leaf;
        case TRANSPOSED -> leaf.transpose(-1, -2);
        case COLUMN_SLICE -> leaf.narrow(-1, 1, shape[r - 1]);
        case EXPANDED_ROW -> leaf.expand(shape);
        case STRIDED_VECTOR -> leaf.select(1, 1);
      };
    }

    static int[] storedShape(int[] shape, Layout layout) {
      int[] s = shape.clone();
      int r = s.length;
      switch (layout) {
        case PLAIN -> {}
        case TRANSPOSED -> { s[r - 1] = shape[r - 2]; s[r - 2] = shape[r - 1]; }
        case COLUMN_SLICE -> s[r - 1] += 2;
        case EXPANDED_ROW -> s[r - 2] = 1;
        case STRIDED_VECTOR -> s = new int[] {shape[0], 2};
      }
      return s;
    }

    @Override
    public String toString() {
      return Arrays.toString(shape) + " " + layout + " from " + stored;
    }
  }

  record Case(Operand a, Operand b) {
    Tensor apply(Tensor[] in) {
      return a.view(in[0]).matmul(b.view(in[1]));
    }
  }

  private static void check(String name, Case c) {
    OpCheck.check(name, c::apply, c.a.stored, c.b.stored);
    Tensor[] leaves = OpCheck.leaves(DType.FLOAT64, c.a.stored, c.b.stored);
    Tensor a = c.a.view(leaves[0]).detach(), b = c.b.view(leaves[1]).detach();
    assertArrayEquals(c.a.shape, a.shape(), "operand a logical shape");
    assertArrayEquals(c.b.shape, b.shape(), "operand b logical shape");
    Tensor y = c.apply(leaves);
    double[] expected = reference(a.shape(), a.toDoubleArray(), b.shape(), b.toDoubleArray());
    OpCheck.assertClose(name + " forward vs triple loop", expected, y.toDoubleArray(), y.shape(), 1e-12);
    assertArrayEquals(expectedShape(c.a.shape, c.b.shape), y.shape(), name + " output shape");
  }

  @Property(tries = TRIES)
  void matrixTimesMatrix(@ForAll("matrixCases") Case c) {
    check("matmul 2-D x 2-D", c);
  }

  @Property(tries = TRIES)
  void vectorTimesMatrix(@ForAll("vectorMatrixCases") Case c) {
    check("matmul 1-D x 2-D", c);
  }

  @Property(tries = TRIES)
  void matrixTimesVector(@ForAll("matrixVectorCases") Case c) {
    check("matmul 2-D x 1-D", c);
  }

  @Property(tries = 15)
  void vectorTimesVector(@ForAll("vectorVectorCases") Case c) {
    check("matmul 1-D x 1-D", c);
  }

  @Property(tries = TRIES)
  void batchedWithBroadcastBatchAxes(@ForAll("batchedCases") Case c) {
    check("matmul batched", c);
  }

  @Property(tries = 20)
  void batchedWithVector(@ForAll("batchedVectorCases") Case c) {
    check("matmul batched with vector", c);
  }

  // ------------------------------------------------------------------------------- reference

  /** torch.matmul's output shape, written out case by case. */
  private static int[] expectedShape(int[] as, int[] bs) {
    if (as.length == 1 && bs.length == 1) return new int[0];
    if (as.length == 1) {
      int[] out = Arrays.copyOf(bs, bs.length - 1);
      out[out.length - 1] = bs[bs.length - 1];
      return out;
    }
    if (bs.length == 1) return Arrays.copyOf(as, as.length - 1);
    int[] batch = Shape.broadcast("ref", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = as[as.length - 2];
    out[batch.length + 1] = bs[bs.length - 1];
    return out;
  }

  /** Batched product by index arithmetic: vectors become [1, k] / [k, 1], batches broadcast. */
  private static double[] reference(int[] as, double[] av, int[] bs, double[] bv) {
    int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
    int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
    int m = a2[a2.length - 2], k = a2[a2.length - 1], n = b2[b2.length - 1];
    int[] ab = Arrays.copyOf(a2, a2.length - 2), bb = Arrays.copyOf(b2, b2.length - 2);
    int[] batch = Shape.broadcast("ref", ab, bb);
    int nb = Shape.numel(batch);
    double[] out = new double[nb * m * n];
    for (int p = 0; p < nb; p++) {
      int[] idx = GradCheck.unravel(p, batch);
      int ao = batchOffset(idx, ab) * m * k, bo = batchOffset(idx, bb) * k * n;
      double[] c = Naive.matmul(Arrays.copyOfRange(av, ao, ao + m * k), Arrays.copyOfRange(bv, bo, bo + k * n), m, k, n);
      System.arraycopy(c, 0, out, p * m * n, m * n);
    }
    return out;
  }

  private static int batchOffset(int[] idx, int[] shape) {
    int lead = idx.length - shape.length, p = 0;
    for (int i = 0; i < shape.length; i++) p = p * shape[i] + (shape[i] == 1 ? 0 : idx[lead + i]);
    return p;
  }

  // ------------------------------------------------------------------------------- generators

  private static Arbitrary<Integer> dims() {
    return TensorArbitraries.sizes();
  }

  private static Arbitrary<Integer> smallDims() {
    return Arbitraries.of(1, 2, 3, 7, 8, 9);
  }

  private static Arbitrary<Operand> operand(int[] shape) {
    Arbitrary<Layout> layouts = shape.length == 1
        ? Arbitraries.of(Layout.PLAIN, Layout.STRIDED_VECTOR)
        : Arbitraries.of(Layout.PLAIN, Layout.TRANSPOSED, Layout.COLUMN_SLICE, Layout.EXPANDED_ROW);
    return layouts.flatMap(l -> TensorArbitraries.data(Operand.storedShape(shape, l), Domain.any()).map(d -> new Operand(shape, d, l)));
  }

  private static Arbitrary<Case> cases(int[] as, int[] bs) {
    return Combinators.combine(operand(as), operand(bs)).as(Case::new);
  }

  private static int[] concat(int[] batch, int... tail) {
    int[] s = Arrays.copyOf(batch, batch.length + tail.length);
    System.arraycopy(tail, 0, s, batch.length, tail.length);
    return s;
  }

  @Provide
  Arbitrary<Case> matrixCases() {
    return Combinators.combine(dims(), dims(), dims()).flatAs((m, k, n) -> cases(new int[] {m, k}, new int[] {k, n}));
  }

  @Provide
  Arbitrary<Case> vectorMatrixCases() {
    return Combinators.combine(dims(), dims()).flatAs((k, n) -> cases(new int[] {k}, new int[] {k, n}));
  }

  @Provide
  Arbitrary<Case> matrixVectorCases() {
    return Combinators.combine(dims(), dims()).flatAs((m, k) -> cases(new int[] {m, k}, new int[] {k}));
  }

  @Provide
  Arbitrary<Case> vectorVectorCases() {
    return dims().flatMap(k -> cases(new int[] {k}, new int[] {k}));
  }

  /** Batch shapes of rank up to 2 that broadcast together, on either or both sides. */
  private static Arbitrary<int[][]> batchPairs() {
    Arbitrary<int[]> full = Arbitraries.integers().between(1, 2).flatMap(r -> Arbitraries.of(1, 2, 3).array(int[].class).ofSize(r));
    return full.flatMap(f -> Combinators.combine(TensorArbitraries.broadcastableTo(f), TensorArbitraries.broadcastableTo(f)).as((a, b) -> new int[][] {a, b}));
  }

  @Provide
  Arbitrary<Case> batchedCases() {
    return Combinators.combine(batchPairs(), smallDims(), smallDims(), smallDims())
        .flatAs((bp, m, k, n) -> cases(concat(bp[0], m, k), concat(bp[1], k, n)))
        .filter(c -> Shape.numel(c.a.stored.shape()) <= 400 && Shape.numel(c.b.stored.shape()) <= 400);
  }

  @Provide
  Arbitrary<Case> batchedVectorCases() {
    Arbitrary<int[]> batch = Arbitraries.integers().between(1, 2).flatMap(r -> Arbitraries.of(1, 2, 3).array(int[].class).ofSize(r));
    return Combinators.combine(batch, smallDims(), smallDims(), Arbitraries.of(false, true))
        .flatAs((bt, m, k, vectorLeft) -> vectorLeft ? cases(new int[] {k}, concat(bt, k, m)) : cases(concat(bt, m, k), new int[] {k}));
  }
}
