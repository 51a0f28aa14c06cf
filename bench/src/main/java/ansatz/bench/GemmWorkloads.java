package ansatz.bench;

import ansatz.autograd.Rng;
import ansatz.autograd.kernel.Gemm;

/** Matrix-product workloads: {@code sgemm_N}, C = A B for square float32 N x N matrices. */
public final class GemmWorkloads {
  private GemmWorkloads() {}

  /** @return {@code sgemm_N}: one call of {@link Gemm#sgemm} on random N x N operands, C preallocated */
  public static Workload square(int n) {
    return new Workload("sgemm_" + n, "C = A B, float32, " + n + " x " + n + ", output preallocated",
        3, 7, 2.0 * n * n * n, () -> product(false, false, n, n, n, 1));
  }

  /**
   * A step computing C = op(A) op(B) with op(A) m x k, op(B) k x n, C m x n, row-major, leading
   * dimensions as the tensors Ansatz's matmul hands to GEMM.
   */
  public static Step product(boolean transA, boolean transB, int m, int n, int k, long seed) {
    Rng rng = new Rng(seed);
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c = new float[m * n];
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    return () -> {
      Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
      return c;
    };
  }

  private static float[] random(Rng rng, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) x[i] = (float) rng.nextGaussian();
    return x;
  }
}
