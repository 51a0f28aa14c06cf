package ansatz.instrument;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Products;

/**
 * The Neural Feature Matrix of DEFINITIONS.md section 2: NFM = W^T W for a (rows, cols) weight
 * (conv layers: W reshaped to (c_out, c_in*kh*kw), so the NFM is the filter covariance), its
 * init-removed form (W - W0)^T (W - W0), and the relative weight change ||W - W0||_F / ||W||_F.
 */
public final class FeatureMatrix {
  private FeatureMatrix() {}

  /**
   * @param w the weight matrix (rows, cols)
   * @param divideByRows divide by the number of rows (a scale: correlations ignore it)
   * @return W^T W in float64
   */
  public static Tensor nfm(Tensor w, boolean divideByRows) {
    require2d(w);
    Tensor g = Products.gram(w);
    return divideByRows ? g.mul(1.0 / w.size(0)).detach() : g;
  }

  /** {@return (W - W0)^T (W - W0) in float64, optionally divided by the number of rows} */
  public static Tensor initRemovedNfm(Tensor w, Tensor w0, boolean divideByRows) {
    return nfm(difference(w, w0), divideByRows);
  }

  /** {@return W - W0 in float64} */
  public static Tensor difference(Tensor w, Tensor w0) {
    require2d(w);
    if (!Shape.same(w.shape(), w0.shape())) {
      throw new IllegalArgumentException("FeatureMatrix: W has shape " + Shape.str(w.shape()) + " but W0 has " + Shape.str(w0.shape()));
    }
    // A loop of its own rather than Tensor.sub, whose generic code training never runs in float64.
    double[] a = Products.values64(w), b = Products.values64(w0), d = new double[a.length];
    for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
    return Tensor.wrap(d, w.shape());
  }

  /** {@return ||W - W0||_F / ||W||_F} */
  public static double relativeChange(Tensor w, Tensor w0) {
    return Products.frobenius(difference(w, w0)) / Products.frobenius(w);
  }

  private static void require2d(Tensor w) {
    if (w.dim() != 2) throw new IllegalArgumentException("FeatureMatrix: the weight must be a (rows, cols) matrix, got shape " + Shape.str(w.shape()));
  }
}
