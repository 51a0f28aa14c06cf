package ansatz.instrument.collapse;

import ansatz.autograd.Grad;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.metrics.NeuralCollapse;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The singular-structure split of DEFINITIONS.md section 6: a trained layer W = U S V^T acting on
 * its input features X, and how much of the collapse each part does. Collapse is measured on
 *
 * <ol>
 *   <li>X, the layer input;
 *   <li>S V^T X, the right singular structure (rows x_i^T V S); since U is orthogonal, this has
 *       exactly the NC1 of W X, so it is "the linear part of the layer";
 *   <li>sigma(W X + b), the whole layer: the next activation.
 * </ol>
 *
 * The layer's own forward (bias and NTK scale included) produces the whole-layer features. NC1,
 * NC1-pinv and NC2 do not change when features are scaled, so the NTK factor 1/sqrt(in) does not
 * matter for the right-structure features either; it is applied anyway, so that S is the effective
 * spectrum.
 *
 * @param input collapse of X
 * @param rightStructure collapse of S V^T X
 * @param wholeLayer collapse of sigma(W X + b)
 * @param singularValues S (effective, scale included), descending
 */
public record SingularSplit(NeuralCollapse.Stats input, NeuralCollapse.Stats rightStructure, NeuralCollapse.Stats wholeLayer, double[] singularValues) {

  /**
   * @param layer the trained Linear layer
   * @param activation the nonlinearity that follows it (e.g. {@code new ReLU()}); its output is the
   *     next activation
   * @param x the layer input, n x in (rows = samples)
   * @param labels classes of the rows
   * @param numClasses K
   */
  public static SingularSplit of(Linear layer, Module activation, Tensor x, int[] labels, int numClasses) {
    if (x.dim() != 2 || x.size(1) != layer.inFeatures()) {
      throw new IllegalArgumentException("SingularSplit.of: input features of shape " + Shape.str(x.shape()) + " do not fit " + layer
          + " (need n x " + layer.inFeatures() + ")");
    }
    int n = x.size(0), in = layer.inFeatures(), out = layer.outFeatures();
    double scale = layer.parameterization() == Parameterization.NTK ? 1 / Math.sqrt(in) : 1;
    double[] w = layer.weight().tensor().toDoubleArray();
    for (int i = 0; i < w.length; i++) w[i] *= scale;
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, false, true, true);
    if (!svd.decompose(new DMatrixRMaj(out, in, true, w))) throw new IllegalStateException("SingularSplit.of: SVD of " + layer + " did not converge");
    int r = svd.numberOfSingularValues();
    double[] s = svd.getSingularValues().clone();
    DMatrixRMaj vt = svd.getV(null, true); // r x in
    Integer[] order = new Integer[r];
    for (int j = 0; j < r; j++) order[j] = j;
    java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    double[] sorted = new double[r];
    double[] xd = x.toDoubleArray();
    double[] right = new double[n * r];
    for (int jj = 0; jj < r; jj++) {
      int j = order[jj];
      sorted[jj] = s[j];
      for (int i = 0; i < n; i++) {
        double dot = 0;
        for (int p = 0; p < in; p++) dot += xd[i * in + p] * vt.get(j, p);
        right[i * r + jj] = s[j] * dot;
      }
    }
    Tensor next;
    try (Grad.Scope off = Grad.disabled()) {
      Tensor xt = x.dtype() == layer.weight().dtype() ? x : x.to(layer.weight().dtype());
      next = activation.call(layer.call(xt.detach()));
    }
    return new SingularSplit(
        NeuralCollapse.of(x, labels, numClasses),
        NeuralCollapse.of(Tensor.wrap(right, n, r), labels, numClasses),
        NeuralCollapse.of(next, labels, numClasses),
        sorted);
  }

  /**
   * Captures the input of {@code layer} inside {@code model} on {@code inputs} and applies
   * {@link #of}.
   */
  public static SingularSplit measure(Module model, Linear layer, Module activation, Tensor inputs, int[] labels, int numClasses) {
    Tensor x = FeatureRecorder.capture(model, layer, FeatureRecorder.Side.INPUT, inputs, LayerCollapse.DEFAULT_BATCH);
    return of(layer, activation, x, labels, numClasses);
  }
}
