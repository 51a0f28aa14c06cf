package ansatz.bench;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import java.util.List;
import java.util.Map;

/**
 * AGOP workloads, computed with the instrument module's probe ({@link ChainRuleAgop}):
 * {@code agop_mlp}, the MLP's AGOPs with respect to its input and to the inputs of its second and
 * third layers over 2000 samples (PyTorch side: {@code agop_mlp_autograd} and
 * {@code agop_mlp_vmap}); {@code patch_agop_cnn}, the patch AGOP of the small CNN's first
 * convolution over 500 images (PyTorch side: the faster of {@code patch_agop_cnn} and
 * {@code patch_agop_cnn_zgrad}).
 *
 * <p>As on the PyTorch side, all samples go through one forward pass and one backward pass per
 * output class. The probe normalises a conv layer's patch AGOP by the number of images (as
 * DEFINITIONS.md says), torch_bench.py by images x positions; the work is the same.
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
    // PyTorch's count (forward, 10 backward passes to the input, 10 outer products per layer input),
    // so that GFLOP/s compare; the probe's chain-rule form does less work than this.
    double fwd = 2.0 * n * MlpWorkloads.MACS;
    double bwdPerOut = 2.0 * n * ((double) h * dOut + (double) h * h + (double) dIn * h);
    double outer = 2.0 * n * dOut * ((double) dIn * dIn + 2.0 * h * h);
    return new Workload("agop_mlp", "AGOPs of the MLP w.r.t. its input and both hidden layers' inputs, n = 2000 (ChainRuleAgop)",
        1, 3, fwd + dOut * bwdPerOut + outer, () -> {
          Rng rng = new Rng(1);
          Sequential model = MlpWorkloads.model(rng);
          Tensor x = Tensor.uniform(rng, 0, 1, n, dIn);
          return () -> mlpAgops(model, x);
        });
  }

  /**
   * The AGOPs (1/n) sum_i J_i^T J_i of the MLP {@code Linear, act, Linear, act, Linear}, J_i the
   * Jacobian of the outputs at sample i with respect to the input of each Linear layer.
   *
   * @return {A_x, A_h1, A_h2}, float64
   */
  public static Tensor[] mlpAgops(Sequential model, Tensor data) {
    List<ProbedLayer> layers = ProbedLayer.select(model, List.of("0", "2", "4"));
    Map<String, LayerAgop> r = new ChainRuleAgop(model, layers).batchSize(data.size(0)).compute(data);
    return new Tensor[] {r.get("0").agop(), r.get("2").agop(), r.get("4").agop()};
  }

  /** @return {@code patch_agop_cnn} */
  public static Workload patchAgopCnn() {
    int n = PATCH_N;
    double[] f = CnnWorkloads.forwardFlop(n);
    // forward + 10 x (dX fc, conv2) + 10 sums of 32 x 32 outer products (the chain-rule form the probe uses)
    double flop = (f[0] + f[1] + f[2]) + 10 * (f[1] + f[2]) + 10 * 2.0 * n * 784 * 32 * 32;
    return new Workload("patch_agop_cnn", "patch AGOP (9 x 9) of the small CNN's first conv layer, n = 500 images (ChainRuleAgop)",
        1, 3, flop, () -> {
          Rng rng = new Rng(2);
          Sequential model = Models.smallCnn(CnnWorkloads.CLASSES, rng);
          Tensor x = Tensor.uniform(rng, 0, 1, n, 1, 28, 28);
          return () -> patchAgop(model, x);
        });
  }

  /**
   * The patch AGOP of the first layer (a Conv2d) of {@code model}: (1/n) sum over images, output
   * positions and outputs of g g^T, g the gradient of the output with respect to the patch the
   * filter sees there.
   *
   * @return the (c_in*kh*kw) square patch AGOP, float64
   */
  public static Tensor patchAgop(Sequential model, Tensor images) {
    List<ProbedLayer> layers = ProbedLayer.select(model, List.of("0"));
    return new ChainRuleAgop(model, layers).batchSize(images.size(0)).compute(images).get("0").agop();
  }
}
