package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.testing.Domain;
import ansatz.autograd.testing.GradCheck;
import ansatz.autograd.testing.OpCheck;
import ansatz.autograd.testing.TensorArbitraries;
import ansatz.autograd.testing.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Ops that move elements around without arithmetic: views (reshape, permute, transpose, expand,
 * narrow, select, unsqueeze/squeeze), gathers and joins (indexSelect, concat, stack), copies
 * (contiguous, copy) and type conversion. Each is checked with {@link OpCheck}, and its forward
 * against index arithmetic on the input values.
 */
class StructureGradPropertiesTest {
  private static final int TRIES = 30;

  /** A tensor and integer parameters for the op under test. */
  record Case(TensorData x, int[] p) {
    @Override
    public String toString() {
      return "Case[" + x + ", params=" + Arrays.toString(p) + "]";
    }
  }

  private static double[] values(Tensor t) {
    return t.toDoubleArray();
  }

  @Property(tries = TRIES)
  void reshape(@ForAll("reshapeCases") Case c) {
    OpCheck.check("reshape" + Arrays.toString(c.p), in -> in[0].reshape(c.p), c.x);
    Tensor y = c.x.float64().reshape(c.p);
    assertEquals(c.x.numel(), y.numel());
    assertArrayEquals(c.x.values(), values(y), "reshape keeps row-major order");
  }

  /** Reshape of a non-contiguous view (must copy, in the view's row-major order). */
  @Property(tries = TRIES)
  void reshapeOfPermuted(@ForAll("reshapeCases") Case c) {
    int r = c.x.shape().length;
    int[] reverse = new int[r];
    for (int i = 0; i < r; i++) reverse[i] = r - 1 - i;
    OpCheck.check("permute.reshape", in -> in[0].permute(reverse).reshape(c.p), c.x);
    Tensor x = c.x.float64();
    assertArrayEquals(values(x.permute(reverse).contiguous()), values(x.permute(reverse).reshape(c.p)));
  }

  @Property(tries = TRIES)
  void flatten(@ForAll("rangeCases") Case c) {
    int s = c.p[0], e = c.p[1];
    OpCheck.check("flatten()", in -> in[0].flatten(), c.x);
    OpCheck.check("flatten(" + s + ", " + e + ")", in -> in[0].flatten(s, e), c.x);
    Tensor y = c.x.float64().flatten(s, e);
    int[] shape = c.x.shape();
    assertEquals(shape.length - (e - s), y.dim());
    assertEquals(Arrays.stream(shape, s, e + 1).reduce(1, (a, b) -> a * b), y.size(s));
    assertArrayEquals(c.x.values(), values(y));
  }

  @Property(tries = TRIES)
  void permute(@ForAll("permuteCases") Case c) {
    OpCheck.check("permute" + Arrays.toString(c.p), in -> in[0].permute(c.p), c.x);
    Tensor y = c.x.float64().permute(c.p);
    int[] shape = c.x.shape(), ys = y.shape();
    double[] got = values(y);
    for (int i = 0; i < got.length; i++) {
      int[] out = GradCheck.unravel(i, ys);
      int[] in = new int[shape.length];
      for (int k = 0; k < shape.length; k++) in[c.p[k]] = out[k];
      assertEquals(c.x.values()[Naive.ravel(in, shape)], got[i], "permute at " + Arrays.toString(out));
    }
  }

  @Property(tries = TRIES)
  void transpose(@ForAll("rangeCases") Case c) {
    int a = c.p[0], b = c.p[1];
    OpCheck.check("transpose(" + a + ", " + b + ")", in -> in[0].transpose(a, b), c.x);
    Tensor y = c.x.float64().transpose(a, b);
    int[] p = new int[c.x.shape().length];
    for (int i = 0; i < p.length; i++) p[i] = i;
    p[a] = b;
    p[b] = a;
    assertArrayEquals(values(c.x.float64().permute(p)), values(y));
  }

  @Property(tries = TRIES)
  void expand(@ForAll("expandCases") Case c) {
    int[] target = c.p;
    OpCheck.check("expand" + Arrays.toString(target), in -> in[0].expand(target), c.x);
    double[] got = values(c.x.float64().expand(target));
    for (int i = 0; i < got.length; i++) {
      assertEquals(Naive.broadcastGet(c.x, GradCheck.unravel(i, target)), got[i], "expand at flat index " + i);
    }
  }

  @Property(tries = TRIES)
  void narrow(@ForAll("narrowCases") Case c) {
    int axis = c.p[0], start = c.p[1], length = c.p[2];
    OpCheck.check("narrow(" + axis + ", " + start + ", " + length + ")", in -> in[0].narrow(axis, start, length), c.x);
    Tensor y = c.x.float64().narrow(axis, start, length);
    double[] got = values(y);
    for (int i = 0; i < got.length; i++) {
      int[] idx = GradCheck.unravel(i, y.shape());
      idx[axis] += start;
      assertEquals(c.x.values()[Naive.ravel(idx, c.x.shape())], got[i], "narrow at flat index " + i);
    }
  }

  @Property(tries = TRIES)
  void select(@ForAll("selectCases") Case c) {
    int axis = c.p[0], index = c.p[1];
    OpCheck.check("select(" + axis + ", " + index + ")", in -> in[0].select(axis, index), c.x);
    int[] shape = c.x.shape();
    int i0 = index < 0 ? index + shape[axis] : index;
    assertArrayEquals(values(c.x.float64().narrow(axis, i0, 1)), values(c.x.float64().select(axis, index)));
    assertEquals(shape.length - 1, c.x.float64().select(axis, index).dim());
  }

  @Property(tries = TRIES)
  void unsqueezeAndSqueeze(@ForAll("unsqueezeCases") Case c) {
    int axis = c.p[0];
    OpCheck.check("unsqueeze(" + axis + ")", in -> in[0].unsqueeze(axis), c.x);
    OpCheck.check("unsqueeze.squeeze", in -> in[0].unsqueeze(axis).squeeze(axis), c.x);
    Tensor u = c.x.float64().unsqueeze(axis);
    int a = axis < 0 ? axis + c.x.shape().length + 1 : axis;
    assertEquals(1, u.size(a));
    assertArrayEquals(c.x.shape(), u.squeeze(axis).shape());
    assertArrayEquals(c.x.values(), values(u));
  }

  /** Indices drawn with repetition, so backward must add (not overwrite) repeated rows. */
  @Property(tries = TRIES)
  void indexSelect(@ForAll("indexCases") Case c) {
    int axis = c.p[0];
    int[] idx = Arrays.copyOfRange(c.p, 1, c.p.length);
    OpCheck.check("indexSelect" + Arrays.toString(idx), in -> in[0].indexSelect(axis, idx), c.x);
    Tensor y = c.x.float64().indexSelect(axis, idx);
    double[] got = values(y);
    for (int i = 0; i < got.length; i++) {
      int[] out = GradCheck.unravel(i, y.shape());
      out[axis] = idx[out[axis]];
      assertEquals(c.x.values()[Naive.ravel(out, c.x.shape())], got[i], "indexSelect at flat index " + i);
    }
  }

  /** Two or three tensors that differ only along the axis. */
  record Join(TensorData[] parts, int axis) {
    @Override
    public String toString() {
      return "Join[axis=" + axis + ", " + Arrays.toString(parts) + "]";
    }
  }

  @Property(tries = TRIES)
  void concat(@ForAll("concatCases") Join j) {
    OpCheck.check("concat(" + j.axis + ")", in -> Tensor.concat(j.axis, in), j.parts);
    Tensor[] leaves = OpCheck.leaves(DType.FLOAT64, j.parts);
    Tensor y = Tensor.concat(j.axis, leaves);
    int ax = j.axis < 0 ? j.axis + y.dim() : j.axis;
    double[] got = values(y);
    for (int i = 0; i < got.length; i++) {
      int[] idx = GradCheck.unravel(i, y.shape());
      int part = 0;
      while (idx[ax] >= j.parts[part].shape()[ax]) idx[ax] -= j.parts[part++].shape()[ax];
      assertEquals(j.parts[part].values()[Naive.ravel(idx, j.parts[part].shape())], got[i], "concat at flat index " + i);
    }
  }

  @Property(tries = TRIES)
  void stack(@ForAll("stackCases") Join j) {
    OpCheck.check("stack(" + j.axis + ")", in -> Tensor.stack(j.axis, in), j.parts);
    Tensor y = Tensor.stack(j.axis, OpCheck.leaves(DType.FLOAT64, j.parts));
    int ax = j.axis < 0 ? j.axis + y.dim() : j.axis;
    assertEquals(j.parts.length, y.size(ax));
    for (int k = 0; k < j.parts.length; k++) assertArrayEquals(j.parts[k].values(), values(y.select(ax, k)));
  }

  @Property(tries = TRIES)
  void contiguousAndCopy(@ForAll("permuteCases") Case c) {
    OpCheck.check("permute.contiguous", in -> in[0].permute(c.p).contiguous(), c.x);
    OpCheck.check("copy", in -> in[0].copy(), c.x);
    OpCheck.check("permute.copy", in -> in[0].permute(c.p).copy(), c.x);
    Tensor x = c.x.float64();
    Tensor k = x.permute(c.p).contiguous();
    assertEquals(true, k.isContiguous());
    assertArrayEquals(values(x.permute(c.p)), values(k));
    Tensor copy = x.copy();
    assertEquals(false, copy.storage() == x.storage(), "copy owns its storage");
  }

  /**
   * float64 -&gt; float32 -&gt; float64: the gradient is the seed rounded to float32 (the chain rule
   * through the rounding), in float64. Finite differences cannot see through float32 rounding, so
   * this is checked directly; the float32 leaf case is checked the other way round.
   */
  @Property(tries = TRIES)
  void toDtypeRoundTrip(@ForAll("anyTensors") TensorData x) {
    Tensor seed = Tensor.randn(new Rng(7), DType.FLOAT64, x.shape());
    Tensor x64 = x.float64();
    Tensor[] g = Autograd.grad(new Tensor[] {x64.to(DType.FLOAT32).to(DType.FLOAT64)}, new Tensor[] {x64}, new Tensor[] {seed}, false);
    assertEquals(DType.FLOAT64, g[0].dtype());
    assertArrayEquals(values(seed.to(DType.FLOAT32)), values(g[0]));
    assertArrayEquals(x.values(), values(x64.to(DType.FLOAT32).to(DType.FLOAT64)), "values are float32-representable, so they survive");

    Tensor x32 = x.float32();
    Tensor[] g32 = Autograd.grad(new Tensor[] {x32.to(DType.FLOAT64).mul(2)}, new Tensor[] {x32}, new Tensor[] {seed}, false);
    assertEquals(DType.FLOAT32, g32[0].dtype());
    assertArrayEquals(values(seed.mul(2).to(DType.FLOAT32)), values(g32[0]));
    OpCheck.gradient("to(float64) of float64 (identity)", in -> in[0].to(DType.FLOAT64).mul(in[0]), x);
  }

  // ------------------------------------------------------------------------------- generators

  @Provide
  Arbitrary<TensorData> anyTensors() {
    return TensorArbitraries.tensors(Domain.any());
  }

  private static Arbitrary<Case> withParams(java.util.function.Function<int[], Arbitrary<int[]>> params) {
    return TensorArbitraries.shapes().flatMap(s -> Combinators.combine(TensorArbitraries.data(s, Domain.any()), params.apply(s)).as(Case::new));
  }

  /** A new shape for the same element count: its prime factors spread over 1-4 axes, maybe one -1. */
  @Provide
  Arbitrary<Case> reshapeCases() {
    return withParams(s -> Arbitraries.randoms().map(r -> {
      int n = Shape.numel(s);
      int rank = 1 + r.nextInt(4);
      int[] t = new int[rank];
      Arrays.fill(t, 1);
      for (int f : primeFactors(n)) t[r.nextInt(rank)] *= f;
      if (r.nextBoolean()) t[r.nextInt(rank)] = -1;
      return t;
    }));
  }

  private static List<Integer> primeFactors(int n) {
    List<Integer> f = new ArrayList<>();
    for (int p = 2; p * p <= n; p++) while (n % p == 0) { f.add(p); n /= p; }
    if (n > 1) f.add(n);
    return f;
  }

  /** Two axes a &lt;= b (for flatten and transpose). */
  @Provide
  Arbitrary<Case> rangeCases() {
    return withParams(s -> Combinators.combine(Arbitraries.integers().between(0, s.length - 1), Arbitraries.integers().between(0, s.length - 1))
        .as((a, b) -> new int[] {Math.min(a, b), Math.max(a, b)}));
  }

  @Provide
  Arbitrary<Case> permuteCases() {
    return withParams(s -> TensorArbitraries.permutations(s.length));
  }

  /** The input has some axes of size 1 and maybe fewer axes; the target is the full shape. */
  @Provide
  Arbitrary<Case> expandCases() {
    return TensorArbitraries.shapes().flatMap(full -> TensorArbitraries.broadcastableTo(full)
        .flatMap(small -> TensorArbitraries.data(small, Domain.any()).map(d -> new Case(d, full.clone()))));
  }

  @Provide
  Arbitrary<Case> narrowCases() {
    return withParams(s -> Arbitraries.randoms().map(r -> {
      int axis = r.nextInt(s.length), len = 1 + r.nextInt(s[axis]);
      return new int[] {axis, r.nextInt(s[axis] - len + 1), len};
    }));
  }

  @Provide
  Arbitrary<Case> selectCases() {
    return withParams(s -> Arbitraries.randoms().map(r -> {
      int axis = r.nextInt(s.length), index = r.nextInt(s[axis]);
      return new int[] {axis, r.nextBoolean() ? index : index - s[axis]};
    }));
  }

  @Provide
  Arbitrary<Case> unsqueezeCases() {
    return withParams(s -> Arbitraries.integers().between(-s.length - 1, s.length).map(a -> new int[] {a}));
  }

  /** {axis, indices...}: 1-6 indices with repetition. */
  @Provide
  Arbitrary<Case> indexCases() {
    return withParams(s -> Arbitraries.randoms().map(r -> {
      int axis = r.nextInt(s.length), k = 1 + r.nextInt(6);
      int[] p = new int[k + 1];
      p[0] = axis;
      for (int i = 1; i <= k; i++) p[i] = r.nextInt(s[axis]);
      return p;
    }));
  }

  @Provide
  Arbitrary<Join> concatCases() {
    return TensorArbitraries.shapes(1, 4, 150).flatMap(s -> Combinators.combine(
            TensorArbitraries.axis(s.length), Arbitraries.integers().between(2, 3), TensorArbitraries.sizes().array(int[].class).ofSize(3))
        .flatAs((axis, count, sizes) -> {
          List<Arbitrary<TensorData>> parts = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            int[] shape = s.clone();
            shape[axis < 0 ? axis + s.length : axis] = sizes[i];
            parts.add(TensorArbitraries.data(shape, Domain.any()));
          }
          return Combinators.combine(parts).as(l -> new Join(l.toArray(TensorData[]::new), axis));
        }));
  }

  @Provide
  Arbitrary<Join> stackCases() {
    return TensorArbitraries.shapes(1, 3, 130).flatMap(s -> Combinators.combine(
            Arbitraries.integers().between(-s.length - 1, s.length), Arbitraries.integers().between(2, 3))
        .flatAs((axis, count) -> {
          List<Arbitrary<TensorData>> parts = new ArrayList<>();
          for (int i = 0; i < count; i++) parts.add(TensorArbitraries.data(s, Domain.any()));
          return Combinators.combine(parts).as(l -> new Join(l.toArray(TensorData[]::new), axis));
        }));
  }
}
