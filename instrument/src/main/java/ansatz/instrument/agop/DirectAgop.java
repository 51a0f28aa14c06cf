package ansatz.instrument.agop;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer AGOPs computed the slow, direct way, as an independent check of {@link ChainRuleAgop}
 * (DEFINITIONS.md section 1 says the two must agree to rounding): one sample at a time, the full
 * Jacobian J (c x d_l) of the outputs with respect to the layer INPUT h_l (dense layers) or with
 * respect to every input patch (conv layers: the gradient of the im2col columns), then
 * AGOP_l = (1/n) sum_i J(x_i)^T J(x_i), summed over positions for conv.
 *
 * <p>Nothing here uses the weights or the pre-activations: the check shares no formula with the
 * chain-rule form. The gradient-centered version keeps every Jacobian (O(n c d) memory: this is a
 * check for small problems) and subtracts the mean Jacobian explicitly before the outer products.
 */
public final class DirectAgop {
  private DirectAgop() {}

  /**
   * @param gradCentered subtract the per-output mean Jacobian over samples (and positions for conv)
   * @return AGOP_l (float64, d_l x d_l) by layer name; patch AGOP for conv layers
   */
  public static Map<String, Tensor> compute(Module model, List<ProbedLayer> layers, Tensor inputs, boolean gradCentered) {
    if (inputs == null || inputs.dim() < 1 || inputs.size(0) == 0) throw new IllegalArgumentException("DirectAgop: need a non-empty batch of inputs");
    int n = inputs.size(0);
    int count = layers.size();
    // Per layer: rows of all Jacobians (sample-major; per sample: output k, position p), each of length d_l.
    double[][][] jac = new double[count][][];
    int[] outputsSeen = {-1};
    ProbeForward.inEvalMode(model, () -> {
      DType dtype = ProbeForward.modelDType(model);
      for (int i = 0; i < n; i++) {
        Tensor x = ProbeForward.leafInput(inputs.narrow(0, i, 1), dtype);
        Tensor[] h;
        Tensor f;
        try (PatchCapture capture = new PatchCapture(layers)) {
          f = ProbeForward.outputMatrix("DirectAgop", model.call(x), 1);
          h = capture.variables();
        }
        int c = f.size(1);
        if (outputsSeen[0] < 0) {
          outputsSeen[0] = c;
          for (int l = 0; l < count; l++) jac[l] = new double[n * c][];
        }
        for (int k = 0; k < c; k++) {
          Tensor[] g = Autograd.grad(new Tensor[] {f}, h, new Tensor[] {ProbeForward.seed(f.dtype(), 1, c, k)}, k < c - 1);
          for (int l = 0; l < count; l++) jac[l][i * c + k] = layers.get(l).directRows(g[l]);
        }
      }
      return null;
    });
    Map<String, Tensor> out = new LinkedHashMap<>();
    int c = outputsSeen[0];
    for (int l = 0; l < count; l++) {
      int d = layers.get(l).cols();
      out.put(layers.get(l).name(), outerSum(jac[l], n, c, d, gradCentered));
    }
    return out;
  }

  /** (1/n) sum over samples, outputs and positions of j j^T, optionally after subtracting each output's mean row. */
  private static Tensor outerSum(double[][] jac, int n, int c, int d, boolean centered) {
    int positions = jac[0].length / d;
    double[][] mean = new double[c][d];
    if (centered) {
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < c; k++) {
          double[] j = jac[i * c + k];
          for (int p = 0; p < positions; p++) for (int a = 0; a < d; a++) mean[k][a] += j[p * d + a];
        }
      }
      for (int k = 0; k < c; k++) for (int a = 0; a < d; a++) mean[k][a] /= (double) n * positions;
    }
    double[] g = new double[d * d];
    double[] v = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        double[] j = jac[i * c + k];
        for (int p = 0; p < positions; p++) {
          for (int a = 0; a < d; a++) v[a] = j[p * d + a] - mean[k][a];
          for (int a = 0; a < d; a++) {
            double va = v[a];
            if (va == 0) continue;
            for (int b = 0; b < d; b++) g[a * d + b] += va * v[b];
          }
        }
      }
    }
    for (int a = 0; a < g.length; a++) g[a] /= n;
    return Tensor.wrap(g, d, d);
  }
}
