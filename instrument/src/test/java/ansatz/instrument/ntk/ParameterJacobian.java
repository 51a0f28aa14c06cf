package ansatz.instrument.ntk;

import ansatz.autograd.Autograd;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import java.util.List;

/**
 * The slow, obviously correct reference: the (n c) x p parameter Jacobian built row by row from
 * per-sample, per-output parameter gradients (one functional backward per (i, k)), and
 * Theta = J J^T / n from it.
 */
final class ParameterJacobian {
  private ParameterJacobian() {}

  /** @return J as rows[(i*c + k)][p], parameters in {@link Module#parameters()} order, flattened */
  static double[][] of(Module model, Tensor inputs) {
    List<Parameter> params = model.parameters();
    Tensor[] leaves = new Tensor[params.size()];
    int p = 0;
    for (int t = 0; t < leaves.length; t++) {
      leaves[t] = params.get(t).tensor();
      p += leaves[t].numel();
    }
    int n = inputs.size(0);
    double[][] rows = null;
    int c = 0;
    for (int i = 0; i < n; i++) {
      // one sample at a time: a fresh forward on the (1, ...) slice
      Tensor xi = inputs.narrow(0, i, 1);
      Tensor fi = model.call(xi);
      Tensor flat = fi.reshape(fi.numel());
      if (rows == null) {
        c = flat.numel();
        rows = new double[n * c][];
      }
      for (int k = 0; k < c; k++) {
        double[] seed = new double[c];
        seed[k] = 1;
        Tensor[] g = Autograd.grad(new Tensor[] {flat}, leaves, new Tensor[] {Tensor.of(seed).to(flat.dtype())}, k < c - 1);
        double[] row = new double[p];
        int off = 0;
        for (Tensor gt : g) {
          double[] v = gt.toDoubleArray();
          System.arraycopy(v, 0, row, off, v.length);
          off += v.length;
        }
        rows[i * c + k] = row;
      }
    }
    return rows;
  }

  /** @return J J^T / n as a row-major (n c) x (n c) array */
  static double[] ntk(Module model, Tensor inputs) {
    double[][] j = of(model, inputs);
    int size = j.length, n = inputs.size(0);
    double[] theta = new double[size * size];
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        double s = 0;
        for (int q = 0; q < j[a].length; q++) s += j[a][q] * j[b][q];
        theta[a * size + b] = s / n;
      }
    }
    return theta;
  }
}
