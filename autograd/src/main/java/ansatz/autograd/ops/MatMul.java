package ansatz.autograd.ops;

import ansatz.autograd.DType;
import ansatz.autograd.Function;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * Matrix product with torch.matmul's rules: 1-D operands are vectors (a row on the left, a column
 * on the right), leading batch axes broadcast. Transposed views are handed to GEMM as transpose
 * flags, so {@code a.matmul(b.t())} copies nothing. Backward: dA = g B^T, dB = A^T g, computed in
 * the broadcast batch shape and summed down by the engine.
 */
public final class MatMul extends Function {
  /** @return a @ b */
  public static Tensor apply(Tensor a, Tensor b) {
    if (a.dim() == 0 || b.dim() == 0) {
      throw new IllegalArgumentException("matmul: both operands need at least one axis, got " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
    }
    if (a.dim() == 1 || b.dim() == 1) {
      // Check with the caller's shapes, so the message does not show the unsqueezed ones.
      int ka = a.size(-1), kb = b.dim() == 1 ? b.size(0) : b.size(-2);
      if (ka != kb) {
        throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + " do not align (" + ka + " vs " + kb + ")");
      }
      // A vector on the left is a row [1, k], on the right a column [k, 1]; the added axes are removed again.
      Tensor out = apply(a.dim() == 1 ? a.unsqueeze(0) : a, b.dim() == 1 ? b.unsqueeze(1) : b);
      if (b.dim() == 1) out = out.squeeze(-1);
      if (a.dim() == 1) out = out.squeeze(b.dim() == 1 ? -1 : -2);
      return out;
    }
    Tensor out = multiply(a.detach(), b.detach());
    return new MatMul().record(out, a, b);
  }

  /** Unrecorded batched product of two tensors with at least two axes. */
  public static Tensor multiply(Tensor a, Tensor b) {
    int[] as = a.shape(), bs = b.shape();
    int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
    if (k != k2) {
      throw new IllegalArgumentException("matmul: shapes " + Shape.str(as) + " and " + Shape.str(bs) + " do not align (" + k + " vs " + k2 + ")");
    }
    int[] batch;
    try {
      batch = Shape.broadcast("matmul", java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("matmul: batch axes of shapes " + Shape.str(as) + " and " + Shape.str(bs) + " do not broadcast", e);
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    if (a.dtype() != dt) a = a.to(dt);
    if (b.dtype() != dt) b = b.to(dt);
    int[] aFull = concat(batch, m, k), bFull = concat(batch, k, n);
    Tensor av = Shape.same(as, aFull) ? a : a.expand(aFull);
    Tensor bv = Shape.same(bs, bFull) ? b : b.expand(bFull);
    av = gemmReady(av);
    bv = gemmReady(bv);
    int[] outShape = concat(batch, m, n);
    Tensor out = Tensor.empty(dt, outShape);
    int nb = Shape.numel(batch);
    int[] ast = av.strides(), bst = bv.strides();
    int r = outShape.length;
    boolean ta = !normal(av), tb = !normal(bv);
    int lda = ta ? ast[r - 1] : ast[r - 2], ldb = tb ? bst[r - 1] : bst[r - 2];
    int[] idx = new int[batch.length];
    for (int p = 0; p < nb; p++) {
      int ao = av.offset(), bo = bv.offset();
      for (int d = 0; d < batch.length; d++) {
        ao += idx[d] * ast[d];
        bo += idx[d] * bst[d];
      }
      int co = p * m * n;
      if (dt == DType.FLOAT32) {
        Gemm.sgemm(ta, tb, m, n, k, 1f, av.storage().f, ao, lda, bv.storage().f, bo, ldb, 0f, out.storage().f, co, Math.max(n, 1));
      } else {
        Gemm.dgemm(ta, tb, m, n, k, 1.0, av.storage().d, ao, lda, bv.storage().d, bo, ldb, 0.0, out.storage().d, co, Math.max(n, 1));
      }
      for (int d = batch.length - 1; d >= 0; d--) {
        if (++idx[d] < batch[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  /** Row-major with unit column stride, as GEMM reads a non-transposed operand. */
  private static boolean normal(Tensor t) {
    int[] st = t.strides(), sh = t.shape();
    int r = st.length;
    return (st[r - 1] == 1 || sh[r - 1] == 1) && st[r - 2] >= Math.max(1, sh[r - 1]);
  }

  /** Unit row stride: the transpose of a row-major matrix, read by GEMM with the transpose flag. */
  private static boolean transposed(Tensor t) {
    int[] st = t.strides(), sh = t.shape();
    int r = st.length;
    return (st[r - 2] == 1 || sh[r - 2] == 1) && st[r - 1] >= Math.max(1, sh[r - 2]);
  }

  /** Each matrix must be normal or transposed; anything else (a strided slice, say) is copied. */
  private static Tensor gemmReady(Tensor t) {
    return normal(t) || transposed(t) ? t : t.copyData();
  }

  private static int[] concat(int[] batch, int x, int y) {
    int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = x;
    s[batch.length + 1] = y;
    return s;
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor a = input(0).detach(), b = input(1).detach();
    Tensor ga = needsGrad(0) ? productLaidOutLike(a, g, b.transpose(-1, -2)) : null;
    Tensor gb = needsGrad(1) ? productLaidOutLike(b, a.transpose(-1, -2), g) : null;
    return new Tensor[] {ga, gb};
  }

  /**
   * x y, laid out in memory like {@code input}: when the input is a transposed matrix view (the
   * {@code w.t()} of {@code Linear}), the product is computed as (y^T x^T)^T, so the gradient is a
   * transposed view of a dense matrix, and after the engine undoes the transpose the weight's
   * gradient is dense in the weight's own layout. Otherwise accumulating it into {@code grad} and
   * every optimizer update would walk a large matrix column by column. Same values either way
   * (GEMM reads transposed operands through flags; nothing is copied).
   */
  private static Tensor productLaidOutLike(Tensor input, Tensor x, Tensor y) {
    boolean transposedMatrix = input.dim() == 2 && x.dim() == 2 && y.dim() == 2 && !normal(input) && transposed(input);
    return transposedMatrix ? multiply(y.transpose(-1, -2), x.transpose(-1, -2)).transpose(-1, -2) : multiply(x, y);
  }
}
