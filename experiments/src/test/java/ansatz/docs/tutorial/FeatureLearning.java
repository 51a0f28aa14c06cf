package ansatz.docs.tutorial;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.HookHandle;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.Measurement;
import ansatz.instrument.Nfa;
import ansatz.instrument.NfaVariant;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.instrument.math.Matrices;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.nn.Activation;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.init.Init;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Trainer;
import java.util.List;
import java.util.Map;

/** Samples of docs/tutorial/06-agop-nfa.md; see FeatureLearningTest. */
final class FeatureLearning {
  private FeatureLearning() {}

  /** Everything the page computes, for the test to compare. */
  record Results(FeatureProbes probes, Tensor agopByHand, Tensor agopInstrument, double nfaByHand, double nfaProbe,
      double nfaMeasured, Tensor hiddenDirect, Tensor hiddenChainRule, List<Measurement> measurements) {}

  static Results agopAndNfa() throws Exception {
    // region train
    Split data = Synthetic.builder("x1x2").d(10).n(512).nTest(512).seed(0).build();
    Sequential model = Models.mlp(new int[] {10, 64, 64, 1}, Activation.RELU, false,
        Init.pytorchDefault().scaled(0.1), new Rng(0));          // small initialization
    model.to(DType.FLOAT64);                                     // float64, so that the hand and the
    var train = data.train().to(DType.FLOAT64);                  // instrument agree to 1e-10 below
    Linear first = (Linear) model.get(0);
    Tensor w0 = first.weight().tensor().detach().copyData();     // W(0), kept for the init-removed NFM
    FeatureProbes probes = FeatureProbes.attach(model,
        ProbeConfig.builder().everyEpochs(20).probeSamples(256).build());   // at init, epoch 20, epoch 40
    Trainer.builder()
        .model(model)
        .loss(MSELoss.halfSumOverBatch())
        .optimizer(new SGD(model.parameters(), 0.2).momentum(0.9))
        .train(new DataLoader(train, 64, true, false, new Rng(1)))
        .epochs(40)
        .listener(probes)
        .build()
        .run();
    String pearsonHalf = NfaVariant.DEFAULT.label();             // pearson,alpha=0.5,init_removed=false,...
    for (ProbedLayer layer : probes.layers()) {
      FeatureProbes.Probe init = probes.history().get(0), last = probes.latest();
      System.out.printf("layer %s: NFA %.2f at init -> %.2f trained%n", layer.name(),
          init.value(layer.name(), Nfa.NFA, pearsonHalf), last.value(layer.name(), Nfa.NFA, pearsonHalf));
    }
    // endregion train

    // region agopByHand
    Tensor x = probes.probeInputs().detach().requiresGrad(true); // the 256 points the probe used
    Tensor f = model.call(x);                                     // [256, 1]: one output (c = 1)
    // Samples do not interact, so the gradient of the SUM of the outputs w.r.t. x has, in row i,
    // the gradient of f(x_i) alone: all per-sample gradients from one backward pass.
    Tensor grads = Autograd.grad(new Tensor[] {f.sum()}, new Tensor[] {x}, null, false)[0];  // [256, 10]
    Tensor agop = grads.t().matmul(grads).div(x.size(0));        // (1/n) sum_i g_i g_i^T, [10, 10]
    // endregion agopByHand

    // region nfaByHand
    Tensor w = first.weight().tensor().detach();                 // [64, 10]
    Tensor nfm = w.t().matmul(w);                                 // W^T W, [10, 10]
    Tensor agopSqrt = Matrices.psdSqrt(agop);                     // V diag(sqrt(max(lambda, 0))) V^T
    double nfa = pearson(nfm, agopSqrt);
    double recorded = probes.latest().value("0", Nfa.NFA, pearsonHalf);
    System.out.printf("by hand %.12f, recorded by the probe %.12f%n", nfa, recorded);
    // endregion nfaByHand

    // region chainRule
    Linear second = (Linear) model.get(2);
    Tensor[] hz = new Tensor[2];                                  // the layer's input h and pre-activation z
    Tensor y;
    try (HookHandle keep = second.registerForwardHook((m, in, out) -> {
      hz[0] = in;
      hz[1] = out;
      return null;
    })) {
      y = model.call(probes.probeInputs()).sum();
    }
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {hz[0], hz[1]}, null, false);  // d f/dh, d f/dz
    int n = g[0].size(0);
    Tensor direct = g[0].t().matmul(g[0]).div(n);                 // AGOP_l from input gradients, [64, 64]
    Tensor k = g[1].t().matmul(g[1]).div(n);                      // K_l from tangent features
    Tensor w2 = second.weight().tensor().detach();
    Tensor chain = w2.t().matmul(k).matmul(w2);                   // W^T K W
    System.out.printf("direct vs chain rule: max |difference| %.1e of max entry %.1e%n",
        direct.sub(chain).abs().max().item(), direct.abs().max().item());
    // endregion chainRule

    // region instrument
    Map<String, LayerAgop> agops = new ChainRuleAgop(model, ProbedLayer.all(model)).compute(probes.probeInputs());
    LayerAgop layer0 = agops.get("0");                           // layers by module name: "0", "2", "4"
    System.out.printf("AGOP: max |hand - instrument| = %.1e%n", agop.sub(layer0.agop()).abs().max().item());
    List<Measurement> measured = Nfa.measure(layer0, w0);        // every variant, named
    for (Measurement m : measured) {
      if (m.quantity().equals(Nfa.NFA) && !m.variant().initRemoved()) {
        System.out.printf("%-58s %.4f%n", m.variantLabel(), m.value());
      }
    }
    // endregion instrument
    double nfaMeasured = measured.stream().filter(m -> m.quantity().equals(Nfa.NFA) && m.variant().equals(NfaVariant.DEFAULT))
        .findFirst().orElseThrow().value();
    return new Results(probes, agop, layer0.agop(), nfa, recorded, nfaMeasured, direct, chain, measured);
  }

  // region pearson
  /** Pearson correlation of two matrices: flatten, subtract each one's mean entry, cosine. */
  static double pearson(Tensor a, Tensor b) {
    Tensor u = a.flatten().sub(a.mean()), v = b.flatten().sub(b.mean());
    return u.mul(v).sum().item() / Math.sqrt(u.square().sum().item() * v.square().sum().item());
  }
  // endregion pearson
}
