package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Plain IRLS-p (iteratively reweighted least squares) for {@code min sum_j |w_j|^p} subject to
 * {@code X w = y}, written the textbook way, independently of {@link LinRfm}: start from the
 * minimum-norm solution, then repeatedly solve the weighted problem
 *
 * <pre>
 *   w_{t+1} = argmin sum_j q_j w_j^2  s.t.  X w = y,    q_j = (w_{t,j}^2 + eps)^{p/2 - 1}
 * </pre>
 *
 * by the substitution {@code u = Q^{1/2} w}: {@code u = pinv(X Q^{-1/2}) y} (EJML's SVD
 * pseudo-inverse), {@code w = Q^{-1/2} u}. With {@code p = 2 - 2 alpha} the weights are
 * {@code Q^{-1} = diag(w^2 + eps)^alpha}, lin-RFM's M, so the iterates agree to rounding.
 */
public final class Irls {
  private Irls() {}

  /**
   * @param x measurements (n x d), full row rank
   * @param y observations, shape (n) or (n, 1)
   * @param p the exponent, in [0, 2]
   * @param eps smoothing eps &gt; 0
   * @param iterations number of iterates (the first is the minimum-norm solution)
   * @return the iterates, float64 vectors of length d
   */
  public static List<Tensor> minimizePNorm(Tensor x, Tensor y, double p, double eps, int iterations) {
    String op = "Irls.minimizePNorm";
    Rows xr = Checks.features(op, "x", x).to(DType.FLOAT64);
    Rows yr = Checks.targets(op, "y", y, xr.n);
    if (yr.cols != 1) throw new IllegalArgumentException(op + ": y must have one column, got " + yr.cols);
    if (!(p >= 0 && p <= 2)) throw new IllegalArgumentException(op + ": p must be in [0, 2], got " + p);
    if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
    Checks.positive(op, "iterations", iterations);
    int n = xr.n, d = xr.cols;
    List<Tensor> out = new ArrayList<>();
    double[] w = null;
    for (int t = 0; t < iterations; t++) {
      double[] invSqrtQ = new double[d]; // Q^{-1/2}
      for (int j = 0; j < d; j++) invSqrtQ[j] = t == 0 ? 1 : 1 / Math.sqrt(Math.pow(w[j] * w[j] + eps, p / 2 - 1));
      DMatrixRMaj a = new DMatrixRMaj(n, d);
      for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) a.set(i, j, xr.d[i * d + j] * invSqrtQ[j]);
      LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
      if (!pinv.setA(a)) throw new IllegalStateException(op + ": SVD of X Q^{-1/2} failed at iteration " + t);
      DMatrixRMaj u = new DMatrixRMaj(d, 1);
      pinv.solve(new DMatrixRMaj(n, 1, true, yr.d), u);
      w = new double[d];
      for (int j = 0; j < d; j++) w[j] = invSqrtQ[j] * u.get(j, 0);
      out.add(Tensor.of(w, d));
    }
    return List.copyOf(out);
  }
}
