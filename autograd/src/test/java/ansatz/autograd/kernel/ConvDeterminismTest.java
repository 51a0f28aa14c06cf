package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fused convolution must give bitwise the same output and gradients for 1 and 2 threads and
 * from run to run: the batch split over threads (images in parallel from 4 images on with 2
 * threads) and the weight-gradient chunks must not change a bit.
 */
class ConvDeterminismTest {
  @AfterAll
  static void restore() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  // {n, c, h, w, o, k, stride, padding}: one image (GEMMs split), a batch split over threads with
  // several chunks, and the 1x1 kernel that skips im2col.
  private static final int[][] CASES = {{1, 3, 17, 15, 8, 3, 1, 1}, {9, 4, 9, 8, 6, 3, 2, 1}, {7, 5, 8, 9, 4, 1, 1, 0}, {20, 1, 15, 17, 32, 3, 1, 1}};

  @Test
  void sameBitsFor1And2ThreadsAndRunToRun() {
    for (int[] k : CASES) {
      for (DType dt : DType.values()) {
        long[][] one = run(k, dt, 1), two = run(k, dt, 2), again = run(k, dt, 2);
        for (int i = 0; i < one.length; i++) {
          assertArrayEquals(one[i], two[i], java.util.Arrays.toString(k) + " " + dt + " result " + i + ": 1 vs 2 threads");
          assertArrayEquals(two[i], again[i], java.util.Arrays.toString(k) + " " + dt + " result " + i + ": run to run");
        }
      }
    }
  }

  /** @return the raw bits of output, dx, dw, db */
  private static long[][] run(int[] k, DType dt, int threads) {
    Parallel.setThreads(threads);
    Rng rng = new Rng(11);
    Tensor x = Tensor.randn(rng, dt, k[0], k[1], k[2], k[3]).requiresGrad(true);
    Tensor w = Tensor.randn(rng, dt, k[4], k[1], k[5], k[5]).requiresGrad(true);
    Tensor b = Tensor.randn(rng, dt, k[4]).requiresGrad(true);
    Tensor y = x.conv2d(w, b, k[6], k[7], 1);
    Tensor seed = Tensor.randn(rng, dt, y.shape());
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, w, b}, new Tensor[] {seed}, false);
    Tensor[] all = {y, g[0], g[1], g[2]};
    long[][] out = new long[all.length][];
    for (int i = 0; i < all.length; i++) out[i] = bits(all[i]);
    return out;
  }

  private static long[] bits(Tensor t) {
    double[] d = t.toDoubleArray(); // float32 widens exactly
    long[] v = new long[d.length];
    for (int i = 0; i < d.length; i++) v[i] = Double.doubleToRawLongBits(d[i]);
    return v;
  }
}
