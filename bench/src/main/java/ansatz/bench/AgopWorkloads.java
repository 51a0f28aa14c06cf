package ansatz.bench;

import ansatz.autograd.Autograd;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Conv2d;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Sequential;

/**
 * AGOP workloads: {@code agop_mlp}, the MLP's average gradient outer products with respect to its
 * input and to the inputs of its second and third layers, over 2000 samples (PyTorch side:
 * {@code agop_mlp_autograd} and {@code agop_mlp_vmap}); {@code patch_agop_cnn}, the patch AGOP of
 * the small CNN's first convolution over 500 images (PyTorch side: the faster of
 * {@code patch_agop_cnn} and {@code patch_agop_cnn_zgrad}).
 */
public final class AgopWorkloads {
  private AgopWorkloads() {}

  /** Samples of {@code agop_mlp}. */
  public static final int AGOP_N = 2000;
  /** Images of {@code patch_agop_cnn}. */
  public static final int PATCH_N = 500;

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

  /** @return {@code patch_agop_cnn} */
  public static Workload patchAgopCnn() {
    int n = PATCH_N;
    double[] f = CnnWorkloads.forwardFlop(n);
    // forward + 10 x (dX fc, conv2) + 10 sums of 32 x 32 outer products (the chain-rule form)
    double flop = (f[0] + f[1] + f[2]) + 10 * (f[1] + f[2]) + 10 * 2.0 * n * 784 * 32 * 32;
    return new Workload("patch_agop_cnn", "patch AGOP (9 x 9) of the small CNN's first conv layer, n = 500 images",
        1, 3, flop, () -> {
          Rng rng = new Rng(2);
          Sequential model = Models.smallCnn(CnnWorkloads.CLASSES, rng);
          Tensor x = Tensor.uniform(rng, 0, 1, n, 1, 28, 28);
          return () -> patchAgop(model, x);
        });
  }

  /**
   * The patch AGOP of the first conv layer, normalised as torch_bench.py does:
   * M = (1/(n L)) sum_{c, i, p} g g^T with g = d f_c / d patch_p of image i, L locations per image.
   * Computed in the chain-rule form M = W^T (sum delta delta^T) W / (n L), delta = d f_c / d z at
   * each location, z the first layer's pre-activation (W its 32 x 9 filter matrix).
   *
   * <p>TODO(bench): switch to the instrument module's patch-AGOP probe once it is on main.
   *
   * @return M, 9 x 9
   */
  public static Tensor patchAgop(Sequential model, Tensor images) {
    Conv2d conv1 = (Conv2d) model.get(0);
    Module act1 = model.get(1), conv2 = model.get(2), act2 = model.get(3), flatten = model.get(4), fc = model.get(5);
    int n = images.size(0);
    Tensor z1;
    try (var off = Grad.disabled()) {
      z1 = conv1.call(images);
    }
    z1 = z1.detach().requiresGrad(true);
    Tensor out = fc.call(flatten.call(act2.call(conv2.call(act1.call(z1)))));
    int classes = out.size(1), channels = z1.size(1), locations = z1.size(2) * z1.size(3);
    Tensor s = Tensor.zeros(z1.dtype(), channels, channels);
    for (int c = 0; c < classes; c++) {
      Tensor seed = Tensor.zeros(out.dtype(), n, classes);
      for (int i = 0; i < n; i++) seed.set(1.0, i, c);
      Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {z1}, new Tensor[] {seed}, c < classes - 1)[0];
      try (var off = Grad.disabled()) {
        Tensor delta = g.reshape(n, channels, locations);
        s.addInPlace(delta.matmul(delta.transpose(1, 2)).sum(0, false), 1.0);
      }
    }
    try (var off = Grad.disabled()) {
      Tensor w = conv1.filterMatrix().mul(conv1.forwardScale());
      return w.t().matmul(s).matmul(w).div((double) n * locations);
    }
  }
}
