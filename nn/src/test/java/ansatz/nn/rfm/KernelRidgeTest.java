package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class KernelRidgeTest {

  @Test
  void alphaSolvesTheRegularizedSystemForEveryOutput() {
    Rng rng = new Rng(3);
    int n = 150, d = 6, c = 3;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), y = Tensor.randn(rng, DType.FLOAT64, n, c);
    Tensor m = Fixtures.randomMetric(rng, d);
    double ridge = 1e-2;
    Fixtures.withSmallBlocks(40 * n, () -> {
      KernelPredictor f = KernelRidge.fit(x, y, Kernel.laplace(2), m, ridge);
      // Independent check with EJML: alpha = (K + lambda I)^{-1} Y by LU.
      DMatrixRMaj k = new DMatrixRMaj(n, n, true, Fixtures.naiveKernel(x, x, m, Kernel.laplace(2)));
      for (int i = 0; i < n; i++) k.add(i, i, ridge);
      DMatrixRMaj alpha = new DMatrixRMaj(n, c);
      assertTrue(CommonOps_DDRM.solve(k, new DMatrixRMaj(n, c, true, y.toDoubleArray()), alpha));
      double[] got = f.alpha().toDoubleArray();
      double scale = 0;
      for (double v : alpha.data) scale = Math.max(scale, Math.abs(v));
      // Relative to |alpha|: K + lambda I has condition number ~1e3 here, so rounding differences
      // of the kernel entries (GEMM order, FMA) move alpha by ~1e-13 relative, far below this.
      double diff = Fixtures.maxAbsDiff(alpha.data, got) / scale;
      assertTrue(diff < 1e-9, "alpha differs from EJML by " + diff + " relative to max |alpha| = " + scale);
      // And the residual of the system itself is at rounding level.
      DMatrixRMaj res = new DMatrixRMaj(n, c);
      CommonOps_DDRM.mult(k, new DMatrixRMaj(n, c, true, got), res);
      assertTrue(Fixtures.maxAbsDiff(res.data, y.toDoubleArray()) < 1e-10, "residual of (K + lambda I) alpha = Y");
      // Predicting at the training points gives K alpha = Y - lambda alpha.
      double[] pred = f.predict(x).toDoubleArray();
      double[] viaIdentity = KernelRidge.trainPredictions(f, Rows.of(y), ridge);
      assertTrue(Fixtures.maxAbsDiff(pred, viaIdentity) < 1e-9);
    });
  }

  @Test
  void float32DataGivesNearlyTheFloat64Fit() {
    Rng rng = new Rng(4);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 200, 10), y = Tensor.randn(rng, DType.FLOAT64, 200);
    Tensor xt = Tensor.randn(rng, DType.FLOAT64, 50, 10);
    double[] p64 = KernelRidge.fit(x, y, Kernel.laplace(5), 1e-1).predict(xt).toDoubleArray();
    double[] p32 = KernelRidge.fit(x.toFloat32(), y, Kernel.laplace(5), 1e-1).predict(xt).toDoubleArray();
    assertTrue(Fixtures.maxAbsDiff(p64, p32) < 1e-3, "float32 predictions drift: " + Fixtures.maxAbsDiff(p64, p32));
  }

  @Test
  void interpolatesWithTinyRidgeAndGeneralizesASmoothTarget() {
    Rng rng = new Rng(5);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 300, 2);
    Tensor y = x.narrow(1, 0, 1).tanh(); // smooth 1-D target
    KernelPredictor f = KernelRidge.fit(x, y, Kernel.gaussian(1), 1e-8);
    Tensor xt = Tensor.randn(rng, DType.FLOAT64, 100, 2);
    double[] pred = f.predict(xt).toDoubleArray(), truth = xt.narrow(1, 0, 1).tanh().toDoubleArray();
    assertTrue(Fixtures.maxAbsDiff(pred, truth) < 0.05);
  }

  @Test
  void duplicatePointsWithoutRidgeFailClearly() {
    Tensor x = Tensor.of(new double[][] {{1, 2}, {1, 2}, {0, 0}});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelRidge.fit(x, Tensor.of(1.0, 2.0, 3.0), Kernel.laplace(1), 0));
    assertTrue(e.getMessage().contains("not numerically positive definite"), e.getMessage());
  }
}
