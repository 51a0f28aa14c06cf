package ansatz.nn.metrics;

import ansatz.autograd.Tensor;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Neural-collapse metrics of features X (rows = samples) with K classes, exactly as
 * DEFINITIONS.md section 6, computed in float64. With mu_c the class means and mu_G the mean of
 * the class means (unweighted):
 *
 * <ul>
 *   <li>Sigma_B = (1/K) sum_c (mu_c - mu_G)(mu_c - mu_G)^T; Sigma_W = (1/n) sum_i (x_i - mu_{c_i})(x_i - mu_{c_i})^T
 *   <li>{@code NC1 = tr(Sigma_W) / tr(Sigma_B)} (the default)
 *   <li>{@code NC1-pinv = tr(Sigma_W Sigma_B^+) / K}; singular values of Sigma_B up to
 *       {@code d * eps * sigma_max} count as zero (torch.linalg.pinv's default rtol)
 *   <li>{@code NC2 = mean over the K x K entries of (M M^T - E)^2}, rows of M the normalized
 *       centered means (mu_c - mu_G)/||mu_c - mu_G||, E = K/(K-1) I - 1/(K-1) 11^T the simplex ETF
 * </ul>
 *
 * Collapse drives all three to 0. Degenerate inputs give the IEEE answer rather than an
 * exception: NC1 is +Infinity (or NaN for 0/0) when all class means coincide, and NC2 is NaN when
 * some class mean equals mu_G (its direction is undefined).
 */
public final class NeuralCollapse {
  private NeuralCollapse() {}

  /**
   * The three metrics of one feature matrix.
   *
   * @param nc1 tr(Sigma_W) / tr(Sigma_B)
   * @param nc1Pinv tr(Sigma_W Sigma_B^+) / K
   * @param nc2 mean squared deviation of the normalized class-mean Gram matrix from the simplex ETF
   */
  public record Stats(double nc1, double nc1Pinv, double nc2) {}

  /**
   * @param features n x d, any type (read as float64)
   * @param labels class of each row, in [0, numClasses)
   * @param numClasses K &gt;= 2; every class must occur
   * @return NC1, NC1-pinv and NC2
   * @throws IllegalArgumentException for empty or non-finite features, a label count that does not
   *     match the rows, a label out of range, fewer than 2 classes or an empty class
   */
  public static Stats of(Tensor features, int[] labels, int numClasses) {
    Classes c = Classes.of("NeuralCollapse.of", features, labels, numClasses);
    return new Stats(c.nc1(), c.nc1Pinv(), c.nc2());
  }

  /** {@return tr(Sigma_W) / tr(Sigma_B); see {@link #of} for the arguments} */
  public static double nc1(Tensor features, int[] labels, int numClasses) {
    return Classes.of("NeuralCollapse.nc1", features, labels, numClasses).nc1();
  }

  /** {@return tr(Sigma_W Sigma_B^+) / K; see {@link #of} for the arguments} */
  public static double nc1Pinv(Tensor features, int[] labels, int numClasses) {
    return Classes.of("NeuralCollapse.nc1Pinv", features, labels, numClasses).nc1Pinv();
  }

  /** {@return mean of (M M^T - E)^2 over the K x K entries; see {@link #of} for the arguments} */
  public static double nc2(Tensor features, int[] labels, int numClasses) {
    return Classes.of("NeuralCollapse.nc2", features, labels, numClasses).nc2();
  }

  /** Class means and within-class residuals of one feature matrix. */
  private record Classes(double[] x, int n, int d, int[] labels, int k, double[] means, double[] centeredMeans) {
    static Classes of(String op, Tensor features, int[] labels, int k) {
      if (features == null) throw new IllegalArgumentException(op + ": features is null");
      if (features.dim() != 2) {
        throw new IllegalArgumentException(op + ": features must be a 2-D (samples x features) tensor, got shape " + Arrays.toString(features.shape()));
      }
      int n = features.size(0), d = features.size(1);
      if (n == 0 || d == 0) throw new IllegalArgumentException(op + ": features are empty (shape " + Arrays.toString(features.shape()) + ")");
      if (labels == null) throw new IllegalArgumentException(op + ": labels is null");
      if (labels.length != n) throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + n + " feature rows");
      if (k < 2) throw new IllegalArgumentException(op + ": needs at least 2 classes, got numClasses = " + k);
      double[] x = features.toDoubleArray();
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i])) {
          throw new IllegalArgumentException(op + ": features have a non-finite value " + x[i] + " at row " + i / d + ", column " + i % d);
        }
      }
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException(op + ": label " + labels[i] + " at row " + i + " is outside [0, " + k + ")");
        counts[labels[i]]++;
      }
      for (int c = 0; c < k; c++) if (counts[c] == 0) throw new IllegalArgumentException(op + ": class " + c + " has no samples");
      double[] means = new double[k * d];
      for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) means[labels[i] * d + j] += x[i * d + j];
      for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) means[c * d + j] /= counts[c];
      double[] global = new double[d];
      for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) global[j] += means[c * d + j] / k;
      double[] centered = new double[k * d];
      for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) centered[c * d + j] = means[c * d + j] - global[j];
      return new Classes(x, n, d, labels, k, means, centered);
    }

    double traceWithin() {
      double s = 0;
      for (int i = 0; i < n; i++) {
        int c = labels[i];
        for (int j = 0; j < d; j++) {
          double t = x[i * d + j] - means[c * d + j];
          s += t * t;
        }
      }
      return s / n;
    }

    double traceBetween() {
      double s = 0;
      for (double v : centeredMeans) s += v * v;
      return s / k;
    }

    double nc1() {
      return traceWithin() / traceBetween();
    }

    /**
     * Sigma_B = (1/K) D^T D with D the centered means, D = U S V^T; so Sigma_B^+ = K sum_j v_j v_j^T / s_j^2
     * and tr(Sigma_W Sigma_B^+) / K = sum_j (v_j^T Sigma_W v_j) / s_j^2 -- no d x d matrix is formed.
     */
    double nc1Pinv() {
      SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(k, d, false, true, true);
      if (!svd.decompose(new DMatrixRMaj(k, d, true, centeredMeans))) {
        throw new IllegalStateException("NeuralCollapse.nc1Pinv: SVD of the class means did not converge");
      }
      double[] s = svd.getSingularValues();
      DMatrixRMaj vt = svd.getV(null, true);
      double smax = 0;
      for (int j = 0; j < svd.numberOfSingularValues(); j++) smax = Math.max(smax, s[j]);
      // Sigma_B's singular values are s^2 / K; drop those below d * eps times the largest.
      double cutoff = d * Math.ulp(1.0) * smax * smax;
      double total = 0;
      for (int j = 0; j < svd.numberOfSingularValues(); j++) {
        double s2 = s[j] * s[j];
        if (s2 <= cutoff) continue;
        double q = 0;
        for (int i = 0; i < n; i++) {
          int c = labels[i];
          double dot = 0;
          for (int p = 0; p < d; p++) dot += (x[i * d + p] - means[c * d + p]) * vt.get(j, p);
          q += dot * dot;
        }
        total += q / n / s2;
      }
      return total;
    }

    double nc2() {
      double[] m = centeredMeans.clone();
      for (int c = 0; c < k; c++) {
        double norm = 0;
        for (int j = 0; j < d; j++) norm += m[c * d + j] * m[c * d + j];
        norm = Math.sqrt(norm);
        for (int j = 0; j < d; j++) m[c * d + j] /= norm;
      }
      double sum = 0;
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          double g = 0;
          for (int j = 0; j < d; j++) g += m[a * d + j] * m[b * d + j];
          double e = (a == b ? (double) k / (k - 1) : 0) - 1.0 / (k - 1);
          sum += (g - e) * (g - e);
        }
      }
      return sum / ((double) k * k);
    }
  }
}
