package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.GradCheck;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random chains of up to six views (permute, transpose, narrow, select, unsqueeze, squeeze, expand,
 * reshape). Each step also says how an index of its output maps to an index of its input; composing
 * those maps gives the expected value of every element by plain index arithmetic. Every step except
 * a reshape of a non-contiguous tensor must share the base's storage.
 */
class ViewChainPropertiesTest {
  /** One view op: how to apply it, its output shape, and its index map from output to input. */
  interface Step {
    Tensor apply(Tensor t);

    int[] outShape(int[] in);

    int[] toInput(int[] out, int[] inShape);

    /** @return whether this step must be a view of a tensor of shape {@code in} that is (or not) contiguous */
    default boolean mustBeView(boolean inputContiguous) {
      return true;
    }
  }

  record Chain(TensorData base, List<Step> steps) {
    Tensor apply(Tensor t) {
      for (Step s : steps) t = s.apply(t);
      return t;
    }

    @Override
    public String toString() {
      return "Chain[" + base + " -> " + steps + "]";
    }
  }

  @Property(tries = 60)
  void chainsOfViewsHaveTheValuesOfIndexArithmetic(@ForAll("chains") Chain c) {
    Tensor leaf = c.base.float64();
    Tensor t = leaf;
    boolean shared = true;
    for (Step s : c.steps) {
      boolean contiguous = t.isContiguous();
      t = s.apply(t);
      shared &= s.mustBeView(contiguous);
      if (shared) assertSame(leaf.storage(), t.storage(), "after " + s + " the chain should still view the base");
    }
    int[] shape = t.shape();
    double[] flat = t.toDoubleArray();
    for (int i = 0; i < flat.length; i++) {
      int[] idx = GradCheck.unravel(i, shape);
      int[] in = baseIndex(c, idx);
      double expected = c.base.values()[Naive.ravel(in, c.base.shape())];
      assertEquals(expected, t.get(idx), "get" + Arrays.toString(idx) + " (base index " + Arrays.toString(in) + ")");
      assertEquals(expected, flat[i], "toDoubleArray at " + Arrays.toString(idx));
    }
    OpCheck.check("view chain " + c.steps, in -> c.apply(in[0]), c.base);
  }

  /** Maps an index of the chain's output back through every step to the base. */
  private static int[] baseIndex(Chain c, int[] idx) {
    List<int[]> shapes = new ArrayList<>();
    int[] s = c.base.shape();
    for (Step step : c.steps) {
      shapes.add(s);
      s = step.outShape(s);
    }
    for (int k = c.steps.size() - 1; k >= 0; k--) idx = c.steps.get(k).toInput(idx, shapes.get(k));
    return idx;
  }

  // ------------------------------------------------------------------------------- steps

  record Permute(int[] p) implements Step {
    public Tensor apply(Tensor t) { return t.permute(p); }
    public int[] outShape(int[] in) { int[] o = new int[in.length]; for (int k = 0; k < o.length; k++) o[k] = in[p[k]]; return o; }
    public int[] toInput(int[] out, int[] inShape) { int[] i = new int[out.length]; for (int k = 0; k < out.length; k++) i[p[k]] = out[k]; return i; }
    @Override public String toString() { return "permute" + Arrays.toString(p); }
  }

  record Narrow(int axis, int start, int length) implements Step {
    public Tensor apply(Tensor t) { return t.narrow(axis, start, length); }
    public int[] outShape(int[] in) { int[] o = in.clone(); o[axis] = length; return o; }
    public int[] toInput(int[] out, int[] inShape) { int[] i = out.clone(); i[axis] += start; return i; }
  }

  record Select(int axis, int index) implements Step {
    public Tensor apply(Tensor t) { return t.select(axis, index); }
    public int[] outShape(int[] in) { return remove(in, axis); }
    public int[] toInput(int[] out, int[] inShape) { return insert(out, axis, index); }
  }

  record Unsqueeze(int axis) implements Step {
    public Tensor apply(Tensor t) { return t.unsqueeze(axis); }
    public int[] outShape(int[] in) { return insert(in, axis, 1); }
    public int[] toInput(int[] out, int[] inShape) { return remove(out, axis); }
  }

  record Squeeze(int axis) implements Step {
    public Tensor apply(Tensor t) { return t.squeeze(axis); }
    public int[] outShape(int[] in) { return remove(in, axis); }
    public int[] toInput(int[] out, int[] inShape) { return insert(out, axis, 0); }
  }

  record Expand(int[] to) implements Step {
    public Tensor apply(Tensor t) { return t.expand(to); }
    public int[] outShape(int[] in) { return to.clone(); }
    public int[] toInput(int[] out, int[] inShape) { int[] i = out.clone(); for (int k = 0; k < i.length; k++) if (inShape[k] == 1) i[k] = 0; return i; }
    @Override public String toString() { return "expand" + Arrays.toString(to); }
  }

  record Reshape(int[] to) implements Step {
    public Tensor apply(Tensor t) { return t.reshape(to); }
    public int[] outShape(int[] in) { return to.clone(); }
    public int[] toInput(int[] out, int[] inShape) { return GradCheck.unravel(Naive.ravel(out, to), inShape); }
    @Override public boolean mustBeView(boolean inputContiguous) { return inputContiguous; }
    @Override public String toString() { return "reshape" + Arrays.toString(to); }
  }

  private static int[] remove(int[] a, int axis) {
    int[] o = new int[a.length - 1];
    for (int k = 0, j = 0; k < a.length; k++) if (k != axis) o[j++] = a[k];
    return o;
  }

  private static int[] insert(int[] a, int axis, int v) {
    int[] o = new int[a.length + 1];
    for (int k = 0, j = 0; k < o.length; k++) o[k] = k == axis ? v : a[j++];
    return o;
  }

  /** A random applicable step for a tensor of shape {@code s}. */
  private static Step randomStep(Random r, int[] s) {
    int rank = s.length;
    while (true) {
      switch (r.nextInt(8)) {
        case 0 -> {
          int[] p = new int[rank];
          for (int k = 0; k < rank; k++) p[k] = k;
          for (int k = rank - 1; k > 0; k--) { int j = r.nextInt(k + 1); int t = p[k]; p[k] = p[j]; p[j] = t; }
          return new Permute(p);
        }
        case 1 -> {
          int a = r.nextInt(rank), b = r.nextInt(rank);
          int[] p = new int[rank];
          for (int k = 0; k < rank; k++) p[k] = k;
          p[a] = b;
          p[b] = a;
          return new Permute(p);
        }
        case 2 -> {
          int axis = r.nextInt(rank), len = 1 + r.nextInt(s[axis]);
          return new Narrow(axis, r.nextInt(s[axis] - len + 1), len);
        }
        case 3 -> {
          if (rank > 1) { int axis = r.nextInt(rank); return new Select(axis, r.nextInt(s[axis])); }
        }
        case 4 -> {
          if (rank < 5) return new Unsqueeze(r.nextInt(rank + 1));
        }
        case 5 -> {
          if (rank > 1) for (int k = 0; k < rank; k++) if (s[k] == 1) return new Squeeze(k);
        }
        case 6 -> {
          int[] to = s.clone();
          boolean any = false;
          for (int k = 0; k < rank; k++) if (s[k] == 1 && r.nextBoolean()) { to[k] = 2 + r.nextInt(2); any = true; }
          if (any && Shape.numel(to) <= 2000) return new Expand(to);
        }
        default -> {
          int n = Shape.numel(s);
          int[] to = r.nextBoolean() ? new int[] {n} : new int[] {n / s[0], s[0]};
          return new Reshape(to);
        }
      }
    }
  }

  @Provide
  Arbitrary<Chain> chains() {
    return Combinators.combine(TensorArbitraries.tensors(1, 4, 200, Domain.any()), Arbitraries.integers().between(1, 6), Arbitraries.randoms())
        .as((base, n, r) -> {
          List<Step> steps = new ArrayList<>();
          int[] s = base.shape();
          for (int i = 0; i < n; i++) {
            Step st = randomStep(r, s);
            steps.add(st);
            s = st.outShape(s);
          }
          return new Chain(base, steps);
        });
  }
}
