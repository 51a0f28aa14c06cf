package ansatz.experiments.claims;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.math.Correlation;
import ansatz.instrument.math.Matrices;
import ansatz.nn.Linear;
import ansatz.nn.Sequential;
import ansatz.nn.init.Init;
import ansatz.nn.io.Json;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DEFINITIONS.md claim 3: a two-layer linear network f(x) = W2 W1 x trained by full-batch gradient
 * descent from a small (hence nearly balanced: W1 W1^T ~ W2^T W2) initialisation keeps
 * NFM = W1^T W1 proportional to AGOP^{1/2}, because its AGOP is W1^T W2^T W2 W1 = (W1^T W1)^2
 * when balanced. With alpha = 1 the correlation is visibly lower. The AGOP of a linear network is
 * the same at every input, so it is computed in closed form here (the instrument's chain-rule AGOP
 * is checked against this closed form in its own tests).
 */
@Command(name = "nfa-linear", description = "two-layer linear net from small balanced init: pearson(NFM, AGOP^1/2) stays at 1, alpha = 1 does not")
public final class NfaLinear extends BaseExperiment {
  @Option(names = "--d", description = "input dimension (default ${DEFAULT-VALUE})")
  int d = 20;

  @Option(names = "--hidden", description = "hidden width (default ${DEFAULT-VALUE})")
  int hidden = 20;

  @Option(names = "--outputs", description = "outputs (default ${DEFAULT-VALUE})")
  int outputs = 3;

  @Option(names = "--n", description = "training samples (default ${DEFAULT-VALUE})")
  int n = 500;

  @Option(names = "--steps", description = "gradient-descent steps (default ${DEFAULT-VALUE})")
  int steps = 1500;

  @Option(names = "--lr", description = "learning rate (default ${DEFAULT-VALUE})")
  double lr = 0.05;

  @Option(names = "--init-scale", description = "init std (small: near-balanced) (default ${DEFAULT-VALUE})")
  double initScale = 1e-3;

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    Rng rng = new Rng(seed);
    // Target: a rank-2 linear map with distinct singular values, so features are non-trivial.
    Tensor u = Tensor.randn(rng, DType.FLOAT64, outputs, 2), v = Tensor.randn(rng, DType.FLOAT64, 2, d);
    Tensor target = u.matmul(Tensor.of(new double[][] {{2, 0}, {0, 1}})).matmul(v).div(Math.sqrt(d));
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d);
    Tensor y = x.matmul(target.t());
    Linear l1 = new Linear(d, hidden, false, Init.normal(initScale), rng);
    Linear l2 = new Linear(hidden, outputs, false, Init.normal(initScale), rng);
    Sequential model = new Sequential(l1, l2);
    model.to(DType.FLOAT64);
    SGD opt = new SGD(model.parameters(), lr);
    MSELoss loss = MSELoss.halfSumOverBatch();
    List<Map<String, Object>> rows = new ArrayList<>();
    double minHalf = Double.POSITIVE_INFINITY, maxAlpha1Late = Double.NEGATIVE_INFINITY, lastLoss = Double.NaN;
    double firstLoss = Double.NaN, finalHalf = Double.NaN, finalOne = Double.NaN;
    for (int step = 0; step <= steps; step++) {
      if (step % 50 == 0 || step == steps) {
        Tensor w1 = l1.weight().tensor().detach(), w2 = l2.weight().tensor().detach();
        Tensor nfm = w1.t().matmul(w1);
        Tensor agop = w1.t().matmul(w2.t()).matmul(w2).matmul(w1);
        double half = Correlation.PEARSON.of(nfm, Matrices.psdPower(agop, 0.5));
        double one = Correlation.PEARSON.of(nfm, agop);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("loss", lastLoss);
        row.put("pearson_alpha_0.5", half);
        row.put("pearson_alpha_1", one);
        rows.add(row);
        if (step >= steps / 2) {
          minHalf = Math.min(minHalf, half);
          maxAlpha1Late = Math.max(maxAlpha1Late, one);
        }
        finalHalf = half;
        finalOne = one;
      }
      if (step == steps) break;
      opt.zeroGrad();
      Tensor l = loss.apply(model.call(x), y);
      l.backward();
      opt.step();
      lastLoss = l.item();
      if (step == 0) firstLoss = lastLoss;
    }
    StringBuilder jsonl = new StringBuilder();
    for (Map<String, Object> r : rows) jsonl.append(Json.write(r)).append('\n');
    Files.writeString(dir.resolve("metrics.jsonl"), jsonl);
    ExperimentResult r = new ExperimentResult(name())
        .config("d", d).config("hidden", hidden).config("outputs", outputs).config("n", n)
        .config("steps", steps).config("lr", lr).config("init_std", initScale).config("loss", "(1/2n) sum ||f - y||^2")
        .config("correlation", "pearson").config("agop", "closed form W1^T W2^T W2 W1 (input AGOP of a linear net)");
    r.claim(Claim.atMost("nfa-linear.trained", "training reduced the loss (sanity)", 0.05 * firstLoss, lastLoss));
    r.claim(Claim.atLeast("nfa-linear.alpha-half", "pearson(NFM, AGOP^{1/2}) stays at 1 (min over the second half of training)", 0.999, minHalf));
    r.claim(Claim.atMost("nfa-linear.alpha-one-lower", "with alpha = 1 the correlation is visibly below 1 (max over the second half)", 0.99, maxAlpha1Late));
    r.note(String.format(java.util.Locale.ROOT, "final: alpha=1/2 %.6f, alpha=1 %.4f", finalHalf, finalOne));
    return r;
  }
}
