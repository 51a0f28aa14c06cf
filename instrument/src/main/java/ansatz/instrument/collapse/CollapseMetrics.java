package ansatz.instrument.collapse;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * NC1, NC1-pinv and NC2 of features X (rows = samples) with K classes, as DEFINITIONS.md section 6,
 * in float64. mu_c are the class means, mu_G the (unweighted) mean of the class means,
 * Sigma_B = (1/K) sum_c (mu_c - mu_G)(mu_c - mu_G)^T, Sigma_W = (1/n) sum_i (x_i - mu_{c_i})(...)^T.
 *
 * <p>NOTE for the lead: {@code ansatz.nn.metrics.NeuralCollapse} (RFM branch) computes the same three
 * numbers; it was not in main when this was written. When it lands, make {@link #of} delegate to it
 * (or replace this class); the wrappers in this package only call {@link #of}.
 *
 * <p>Degenerate data gives the IEEE answer, not an exception: NC1 = +Infinity or NaN when all class
 * means coincide, NC2 = NaN when a class mean equals mu_G.
 */
public final class CollapseMetrics {
  private CollapseMetrics() {}

  /**
   * @param features n x d (any type; a higher-rank tensor is flattened to n rows)
   * @param labels class of each row, in [0, numClasses)
   * @param numClasses K &gt;= 2, every class present
   */
  public static CollapseStats of(Tensor features, int[] labels, int numClasses) {
    String op = "CollapseMetrics.of";
    if (features == null || labels == null) throw new IllegalArgumentException(op + ": features and labels must not be null");
    if (features.dim() < 1 || features.size(0) == 0 || features.numel() == 0) {
      throw new IllegalArgumentException(op + ": features must have a non-empty sample axis, got shape " + Shape.str(features.shape()));
    }
    int n = features.size(0), d = features.numel() / n;
    if (labels.length != n) throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + n + " feature rows");
    if (numClasses < 2) throw new IllegalArgumentException(op + ": needs at least 2 classes, got " + numClasses);
    double[] x = features.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) throw new IllegalArgumentException(op + ": non-finite feature at row " + i / d + ", column " + i % d);
    }
    int[] count = new int[numClasses];
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(op + ": label " + labels[i] + " at row " + i + " is outside [0, " + numClasses + ")");
      }
      count[labels[i]]++;
    }
    for (int c = 0; c < numClasses; c++) if (count[c] == 0) throw new IllegalArgumentException(op + ": class " + c + " has no samples");
    int k = numClasses;
    double[] mu = new double[k * d];
    for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mu[labels[i] * d + j] += x[i * d + j] / count[labels[i]];
    double[] centered = new double[k * d];
    for (int j = 0; j < d; j++) {
      double g = 0;
      for (int c = 0; c < k; c++) g += mu[c * d + j];
      g /= k;
      for (int c = 0; c < k; c++) centered[c * d + j] = mu[c * d + j] - g;
    }
    // within-class residuals, overwriting a copy of x
    double[] r = x.clone();
    double trW = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        r[i * d + j] -= mu[labels[i] * d + j];
        trW += r[i * d + j] * r[i * d + j];
      }
    }
    trW /= n;
    double trB = 0;
    for (double v : centered) trB += v * v;
    trB /= k;
    return new CollapseStats(trW / trB, nc1Pinv(r, n, d, centered, k), nc2(centered, k, d));
  }

  /**
   * With D the K x d centered means, Sigma_B = D^T D / K = V (S^2/K) V^T, so
   * tr(Sigma_W Sigma_B^+) / K = sum_j (v_j^T Sigma_W v_j) / s_j^2 over the nonzero s_j (those with
   * s_j^2 above d * eps * s_max^2, the default cut-off of numpy/torch pinv); no d x d matrix is formed.
   */
  private static double nc1Pinv(double[] r, int n, int d, double[] centered, int k) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, d, false, true, true);
    if (!svd.decompose(new DMatrixRMaj(k, d, true, centered.clone()))) {
      throw new IllegalStateException("CollapseMetrics: SVD of the class means did not converge");
    }
    double[] s = svd.getSingularValues();
    int count = svd.numberOfSingularValues();
    DMatrixRMaj vt = svd.getV(null, true);
    double smax2 = 0;
    for (int j = 0; j < count; j++) smax2 = Math.max(smax2, s[j] * s[j]);
    double cutoff = d * Math.ulp(1.0) * smax2, total = 0;
    for (int j = 0; j < count; j++) {
      double s2 = s[j] * s[j];
      if (s2 <= cutoff) continue;
      double q = 0;
      for (int i = 0; i < n; i++) {
        double dot = 0;
        for (int p = 0; p < d; p++) dot += r[i * d + p] * vt.get(j, p);
        q += dot * dot;
      }
      total += q / n / s2;
    }
    return total;
  }

  private static double nc2(double[] centered, int k, int d) {
    double[] m = new double[k * d];
    for (int c = 0; c < k; c++) {
      double norm = 0;
      for (int j = 0; j < d; j++) norm += centered[c * d + j] * centered[c * d + j];
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) m[c * d + j] = centered[c * d + j] / norm;
    }
    double sum = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double dot = 0;
        for (int j = 0; j < d; j++) dot += m[a * d + j] * m[b * d + j];
        double etf = (a == b ? (double) k / (k - 1) : 0) - 1.0 / (k - 1);
        sum += (dot - etf) * (dot - etf);
      }
    }
    return sum / ((double) k * k);
  }
}
