package ansatz.nn.rfm;

import ansatz.autograd.Tensor;
import java.util.Arrays;

/** Input checks shared by the kernel machines: each names the operation and the problem. */
final class Checks {
  private Checks() {}

  static void bandwidth(String op, double bandwidth) {
    if (!(bandwidth > 0) || Double.isInfinite(bandwidth)) {
      throw new IllegalArgumentException(op + ": bandwidth L must be finite and > 0, got " + bandwidth);
    }
  }

  static void ridge(String op, double ridge) {
    if (!(ridge >= 0) || Double.isInfinite(ridge)) {
      throw new IllegalArgumentException(op + ": ridge lambda must be finite and >= 0, got " + ridge);
    }
  }

  static void positive(String op, String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(op + ": " + name + " must be > 0, got " + value);
  }

  /**
   * Checks a data matrix: 2-D, at least one sample and one feature, every value finite.
   *
   * @return a private copy (fitted models keep it, and must not see later changes to the tensor)
   */
  static Rows features(String op, String name, Tensor x) {
    if (x == null) throw new IllegalArgumentException(op + ": " + name + " is null");
    if (x.dim() != 2) {
      throw new IllegalArgumentException(op + ": " + name + " must be a 2-D (samples x features) tensor, got shape " + Arrays.toString(x.shape()));
    }
    if (x.size(0) == 0) throw new IllegalArgumentException(op + ": " + name + " has no samples (shape " + Arrays.toString(x.shape()) + ")");
    if (x.size(1) == 0) throw new IllegalArgumentException(op + ": " + name + " has no features (shape " + Arrays.toString(x.shape()) + ")");
    Rows r = Rows.of(x.copyData());
    finite(op, name, r);
    return r;
  }

  /** Checks targets for n samples: shape (n) or (n, c), finite. @return them as float64 n x c */
  static Rows targets(String op, String name, Tensor y, int n) {
    if (y == null) throw new IllegalArgumentException(op + ": " + name + " is null");
    if (y.dim() != 1 && y.dim() != 2) {
      throw new IllegalArgumentException(op + ": " + name + " must have shape (n) or (n, outputs), got " + Arrays.toString(y.shape()));
    }
    if (y.size(0) != n) {
      throw new IllegalArgumentException(op + ": " + name + " has " + y.size(0) + " rows but the data have " + n + " samples");
    }
    int c = y.dim() == 1 ? 1 : y.size(1);
    if (c == 0) throw new IllegalArgumentException(op + ": " + name + " has no outputs (shape " + Arrays.toString(y.shape()) + ")");
    Rows r = Rows.wrap(y.toDoubleArray(), n, c);
    finite(op, name, r);
    return r;
  }

  private static void finite(String op, String name, Rows r) {
    for (int i = 0; i < r.n; i++) {
      for (int j = 0; j < r.cols; j++) {
        double v = r.get(i, j);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(op + ": " + name + " has a non-finite value " + v + " at row " + i + ", column " + j);
        }
      }
    }
  }

  /** Checks that two data matrices have the same number of features. */
  static void sameFeatures(String op, String a, Rows x, String b, Rows z) {
    if (x.cols != z.cols) {
      throw new IllegalArgumentException(op + ": " + a + " has " + x.cols + " features but " + b + " has " + z.cols);
    }
  }
}
