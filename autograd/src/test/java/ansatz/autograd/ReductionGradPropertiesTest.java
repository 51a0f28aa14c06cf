package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Reductions over random axis subsets (any order, negative axes), with keepDim both ways: sum, mean,
 * var, max, and the softmax family. Forward values are compared with reductions written by hand
 * ({@link Naive#reduce}); max uses tie-free inputs so that its gradient is well defined.
 */
class ReductionGradPropertiesTest {
  private static final int TRIES = 30;

  /** A tensor, the axes to reduce, and keepDim. */
  record Case(TensorData x, int[] axes, boolean keepDim) {
    int[] expectedShape() {
      int[] s = x.shape();
      boolean[] red = new boolean[s.length];
      for (int a : axes) red[a < 0 ? a + s.length : a] = true;
      int k = 0;
      int[] out = new int[s.length];
      for (int i = 0; i < s.length; i++) if (keepDim || !red[i]) out[k++] = red[i] ? 1 : s[i];
      return java.util.Arrays.copyOf(out, k);
    }

    int count() {
      int n = 1;
      for (int a : axes) n *= x.shape()[a < 0 ? a + x.shape().length : a];
      return n;
    }

    @Override
    public String toString() {
      return "Case[" + x + ", axes=" + java.util.Arrays.toString(axes) + ", keepDim=" + keepDim + "]";
    }
  }

  @Property(tries = TRIES)
  void sum(@ForAll("anyCases") Case c) {
    OpCheck.check("sum", in -> in[0].sum(c.axes, c.keepDim), c.x);
    Tensor y = c.x.float64().sum(c.axes, c.keepDim);
    assertArrayEquals(c.expectedShape(), y.shape(), "sum shape");
    OpCheck.assertClose("sum forward", Naive.reduce(c.x, c.axes, 0, Double::sum), y.toDoubleArray(), y.shape(), 1e-12);
  }

  @Property(tries = TRIES)
  void sumAll(@ForAll("anyTensors") TensorData x) {
    OpCheck.check("sum()", in -> in[0].sum(), x);
    assertEquals(0, x.float64().sum().dim());
  }

  @Property(tries = TRIES)
  void mean(@ForAll("anyCases") Case c) {
    OpCheck.check("mean", in -> in[0].mean(c.axes, c.keepDim), c.x);
    Tensor y = c.x.float64().mean(c.axes, c.keepDim);
    assertArrayEquals(c.expectedShape(), y.shape(), "mean shape");
    double[] s = Naive.reduce(c.x, c.axes, 0, Double::sum);
    for (int i = 0; i < s.length; i++) s[i] /= c.count();
    OpCheck.assertClose("mean forward", s, y.toDoubleArray(), y.shape(), 1e-12);
    OpCheck.check("mean()", in -> in[0].mean(), c.x);
  }

  @Property(tries = TRIES)
  void var(@ForAll("anyCases") Case c, @ForAll("corrections") int correction) {
    int corr = c.count() > correction ? correction : 0;
    OpCheck.check("var(correction " + corr + ")", in -> in[0].var(c.axes, c.keepDim, corr), c.x);
    Tensor y = c.x.float64().var(c.axes, c.keepDim, corr);
    assertArrayEquals(c.expectedShape(), y.shape(), "var shape");
    // Two-pass definition: sum((x - mean)^2) / (n - correction), mean broadcast back by hand.
    double[] mean = Naive.reduce(c.x, c.axes, 0, Double::sum);
    for (int i = 0; i < mean.length; i++) mean[i] /= c.count();
    TensorData meanData = TensorData.of(keepShape(c), mean);
    double[] sq = new double[c.x.numel()];
    for (int i = 0; i < sq.length; i++) {
      double d = c.x.values()[i] - Naive.broadcastGet(meanData, ansatz.autograd.testing.GradCheck.unravel(i, c.x.shape()));
      sq[i] = d * d;
    }
    double[] v = Naive.reduce(TensorData.of(c.x.shape(), sq), c.axes, 0, Double::sum);
    for (int i = 0; i < v.length; i++) v[i] /= c.count() - corr;
    OpCheck.assertClose("var forward", v, y.toDoubleArray(), y.shape(), 1e-12);
  }

  @Property(tries = TRIES)
  void max(@ForAll("distinctCases") Case c) {
    OpCheck.check("max", in -> in[0].max(c.axes, c.keepDim), c.x);
    Tensor y = c.x.float64().max(c.axes, c.keepDim);
    assertArrayEquals(c.expectedShape(), y.shape(), "max shape");
    OpCheck.assertClose("max forward", Naive.reduce(c.x, c.axes, Double.NEGATIVE_INFINITY, Math::max), y.toDoubleArray(), y.shape(), 0);
    OpCheck.check("max()", in -> in[0].max(), c.x);
    OpCheck.check("min()", in -> in[0].min(), c.x);
  }

  /** maxWithIndex's positions hold the maxima, and argmax agrees with them. */
  @Property(tries = TRIES)
  void maxWithIndex(@ForAll("distinctAxisCases") Case c) {
    int axis = c.axes[0];
    Tensor x = c.x.float64();
    MaxResult r = x.maxWithIndex(axis, c.keepDim);
    OpCheck.check("maxWithIndex", in -> in[0].maxWithIndex(axis, c.keepDim).values(), c.x);
    int[] idx = r.indices();
    assertArrayEquals(idx, x.argmax(axis));
    double[] vals = r.values().toDoubleArray();
    // Move the axis last, keeping the others in order (the order of the output elements).
    int rank = x.dim(), ax = axis < 0 ? axis + rank : axis;
    int[] perm = new int[rank];
    for (int i = 0, k = 0; i < rank; i++) if (i != ax) perm[k++] = i;
    perm[rank - 1] = ax;
    Tensor moved = x.detach().permute(perm).contiguous();
    int n = moved.size(-1);
    double[] m = moved.toDoubleArray();
    for (int i = 0; i < idx.length; i++) assertEquals(vals[i], m[i * n + idx[i]], "value at argmax of row " + i);
  }

  @Property(tries = TRIES)
  void logSumExp(@ForAll("axisCases") Case c) {
    int axis = c.axes[0];
    OpCheck.check("logSumExp", in -> in[0].logSumExp(axis, c.keepDim), c.x);
    Tensor y = c.x.float64().logSumExp(axis, c.keepDim);
    assertArrayEquals(c.expectedShape(), y.shape(), "logSumExp shape");
    double[] exps = c.x.values().clone();
    for (int i = 0; i < exps.length; i++) exps[i] = Math.exp(exps[i]);
    double[] s = Naive.reduce(TensorData.of(c.x.shape(), exps), c.axes, 0, Double::sum);
    for (int i = 0; i < s.length; i++) s[i] = Math.log(s[i]);
    OpCheck.assertClose("logSumExp forward", s, y.toDoubleArray(), y.shape(), 1e-12);
  }

  @Property(tries = TRIES)
  void softmax(@ForAll("axisCases") Case c) {
    int axis = c.axes[0];
    OpCheck.check("softmax", in -> in[0].softmax(axis), c.x);
    Tensor p = c.x.float64().softmax(axis);
    assertArrayEquals(c.x.shape(), p.shape());
    // Rows sum to one and are proportional to exp(x).
    OpCheck.assertClose("softmax rows sum to 1", Tensor.ones(DType.FLOAT64, c.expectedShape()), p.sum(axis, c.keepDim), 1e-12);
    Tensor ratio = p.div(c.x.float64().exp());
    OpCheck.assertClose("softmax proportional to exp", ratio.max(new int[] {axis}, true), ratio.max(new int[] {axis}, true).neg().neg(), 0);
    OpCheck.assertClose("softmax proportional to exp", ratio.max(new int[] {axis}, true), ratio.neg().max(new int[] {axis}, true).neg(), 1e-12);
  }

  @Property(tries = TRIES)
  void logSoftmax(@ForAll("axisCases") Case c) {
    int axis = c.axes[0];
    OpCheck.check("logSoftmax", in -> in[0].logSoftmax(axis), c.x);
    Tensor x = c.x.float64();
    OpCheck.assertClose("logSoftmax = x - logSumExp", x.sub(x.logSumExp(axis, true)), x.logSoftmax(axis), 1e-12);
    OpCheck.assertClose("exp(logSoftmax) = softmax", x.softmax(axis), x.logSoftmax(axis).exp(), 1e-12);
  }

  // ------------------------------------------------------------------------------- generators

  private static int[] keepShape(Case c) {
    int[] s = c.x.shape().clone();
    for (int a : c.axes) s[a < 0 ? a + s.length : a] = 1;
    return s;
  }

  private static Arbitrary<Case> cases(Domain domain, boolean singleAxis) {
    return TensorArbitraries.shapes().flatMap(shape -> Combinators.combine(
            TensorArbitraries.data(shape, domain),
            singleAxis ? TensorArbitraries.axis(shape.length).map(a -> new int[] {a}) : TensorArbitraries.axisSubsets(shape.length),
            Arbitraries.of(false, true))
        .as(Case::new));
  }

  @Provide
  Arbitrary<Case> anyCases() {
    return cases(Domain.any(), false);
  }

  @Provide
  Arbitrary<Case> distinctCases() {
    return cases(Domain.distinct(), false);
  }

  @Provide
  Arbitrary<Case> distinctAxisCases() {
    return cases(Domain.distinct(), true);
  }

  /** Logits in [-5, 5]: probabilities spread over several orders of magnitude. */
  @Provide
  Arbitrary<Case> axisCases() {
    return cases(Domain.uniform(-5, 5), true);
  }

  @Provide
  Arbitrary<TensorData> anyTensors() {
    return TensorArbitraries.tensors(Domain.any());
  }

  @Provide
  Arbitrary<Integer> corrections() {
    return Arbitraries.of(0, 1);
  }
}
