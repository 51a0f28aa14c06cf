package ansatz.bench;

import ansatz.autograd.Autograd;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.Sequential;

/**
 * AGOP workloads: {@code agop_mlp}, the MLP's average gradient outer products with respect to its
 * input and to the inputs of its second and third layers, over 2000 samples (PyTorch side:
 * {@code agop_mlp_autograd} and {@code agop_mlp_vmap}).
 */
public final class AgopWorkloads {
  private AgopWorkloads() {}

  /** Samples of {@code agop_mlp}. */
  public static final int AGOP_N = 2000;

  /** @return {@code agop_mlp} */
  public static Workload agopMlp() {
    int n = AGOP_N;
    int dIn = MlpWorkloads.D_IN, h = MlpWorkloads.H, dOut = MlpWorkloads.D_OUT;
    double fwd = 2.0 * n * MlpWorkloads.MACS;
    double bwdPerOut = 2.0 * n * ((double) h * dOut + (double) h * h + (double) dIn * h);
    double outer = 2.0 * n * dOut * ((double) dIn * dIn + 2.0 * h * h);
    return new Workload("agop_mlp", "AGOPs of the MLP w.r.t. its input and both hidden layers' inputs, n = 2000",
        1, 3, fwd + dOut * bwdPerOut + outer, () -> {
          Rng rng = new Rng(1);
          Sequential model = MlpWorkloads.model(rng);
          Tensor x = Tensor.uniform(rng, 0, 1, n, dIn);
          return () -> mlpAgops(model, x);
        });
  }

  /**
   * The three AGOPs (1/n) sum_i J_i^T J_i of the MLP, with J_i the Jacobian of the outputs at
   * sample i with respect to the input x, h1 = relu(layer 1) and h2 = relu(layer 2).
   *
   * <p>TODO(bench): switch to the instrument module's AGOP probe once it is on main; until then
   * this is the direct chain rule through the real autograd engine, one backward pass per
   * output class (each pass gives every sample's gradient at once, since samples are independent).
   *
   * @return {A_x (784 x 784), A_h1 (1024 x 1024), A_h2 (1024 x 1024)}
   */
  public static Tensor[] mlpAgops(Sequential model, Tensor data) {
    int n = data.size(0);
    Module l1 = model.get(0), act1 = model.get(1), l2 = model.get(2), act2 = model.get(3), l3 = model.get(4);
    Tensor x = data.detach().requiresGrad(true);
    Tensor h1 = act1.call(l1.call(x));
    Tensor h2 = act2.call(l2.call(h1));
    Tensor out = l3.call(h2);
    int classes = out.size(1);
    Tensor[] inputs = {x, h1, h2};
    Tensor[] agops = new Tensor[inputs.length];
    for (int j = 0; j < inputs.length; j++) agops[j] = Tensor.zeros(x.dtype(), inputs[j].size(1), inputs[j].size(1));
    for (int c = 0; c < classes; c++) {
      Tensor seed = Tensor.zeros(out.dtype(), n, classes);
      for (int i = 0; i < n; i++) seed.set(1.0, i, c);
      Tensor[] g = Autograd.grad(new Tensor[] {out}, inputs, new Tensor[] {seed}, c < classes - 1);
      try (var off = Grad.disabled()) {
        for (int j = 0; j < inputs.length; j++) agops[j].addInPlace(g[j].t().matmul(g[j]), 1.0);
      }
    }
    for (Tensor a : agops) a.mulInPlace(1.0 / n);
    return agops;
  }
}
