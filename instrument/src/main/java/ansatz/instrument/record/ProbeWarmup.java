package ansatz.instrument.record;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.Measurement;
import ansatz.instrument.Nfa;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the probes' code once on a small network in the background, so that the JIT has compiled
 * it (the eigensolver, the float64 GEMM, the tangent sweeps) before the first real probe. The
 * first probe otherwise pays several seconds of compilation on top of its work. Meant to be
 * started while the program does something else that leaves a core idle, such as reading the
 * training data ({@code ./ansatz train --probe} starts it before loading). Its results are
 * discarded, it draws no random numbers from any generator the caller uses, and it runs once per
 * JVM.
 */
public final class ProbeWarmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private ProbeWarmup() {}

  /** Starts the warm-up on a daemon thread, unless it already ran in this JVM. */
  public static void startInBackground() {
    if (!STARTED.compareAndSet(false, true)) return;
    Thread t = new Thread(ProbeWarmup::run, "ansatz-probe-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /**
   * The work: two full probes' worth of correlations of a 64-192-192-10 ReLU network on 256 random
   * samples. @return the last probe's measurements (for the tests)
   */
  static List<Measurement> run() {
    Rng rng = new Rng(0x5eed);
    Module model = Models.mlp(new int[] {64, 192, 192, 10}, Activation.RELU, false, rng);
    List<ProbedLayer> layers = ProbedLayer.select(model, List.of());
    Tensor x = Tensor.randn(rng, DType.FLOAT32, 256, 64);
    List<Measurement> out = new ArrayList<>();
    for (int rep = 0; rep < 2; rep++) {
      out.clear();
      Map<String, LayerAgop> agops = new ChainRuleAgop(model, layers).batchSize(128).compute(x);
      for (ProbedLayer l : layers) {
        Tensor w0 = l.weightMatrix().mul(0.5).detach();
        out.addAll(Nfa.measureWithNfms(agops.get(l.name()), w0, Nfa.Route.AUTO).measurements());
      }
    }
    return out;
  }
}
