package ansatz.experiments.claims;

import static ansatz.experiments.claims.FeatureRuns.C;
import static ansatz.experiments.claims.FeatureRuns.NFA_HALF;
import static ansatz.experiments.claims.FeatureRuns.UC;
import static ansatz.experiments.claims.FeatureRuns.f3;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.Nfa;
import ansatz.instrument.chart.Charts;
import ansatz.instrument.chart.NfaSeries;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.instrument.record.Quantity;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.init.Init;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.AlignmentBoostingSGD;
import ansatz.nn.optim.Optimizer;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.TrainListener;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.TrainState;
import ansatz.nn.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * DEFINITIONS.md claim 6 (sections 4 and 9): the alignment-boosting rule
 * ({@link AlignmentBoostingSGD}: every layer's gradient normalized, the target layer's multiplied by
 * C, the others' divided by C) aimed at layer 1 lifts that layer's UC-NFA from about 0.5 (plain
 * SGD) to about 0.9, at a similar test loss. The network is the one of the {@code alignment}
 * experiment (5 hidden ReLU layers of width 256, no bias, default init, MSE on centered one-hot
 * targets, Fashion-MNIST when installed, else the quadrant task), trained twice from the same
 * initial weights on the same batches: once by SGD, once by the rule.
 *
 * <p>The rule's learning rate is a step length: the target layer moves exactly lr * C per step
 * (eps = 0). Unless {@code --rule-lr} is given it is matched to SGD: lr * C equals the mean
 * Frobenius norm of the SGD run's steps on the target layer, so the rule moves that layer as far
 * per step as SGD did on average and only the direction and the other layers' speed differ.
 *
 * <p>Tests, fixed before the first run (UC-NFA = pearson(W^T W, W^T K W) of the target layer
 * after training): UC-NFA under the rule &gt;= 0.8 ("about 0.9"); UC-NFA under the rule &gt; UC-NFA
 * under SGD + 0.2; the rule's final test loss &lt;= 1.5 x SGD's ("similar test loss"); and, as a
 * sanity check, SGD's test accuracy &gt;= 0.7.
 */
@Command(name = "alignment-rule", description = "alignment-boosting rule vs SGD on layer 1: its UC-NFA rises far above SGD's at a similar test loss")
public final class AlignmentRule extends BaseExperiment {
  /** The data, network, SGD run and probes shared with the other alignment experiment. */
  @Mixin
  AlignmentSetup setup = new AlignmentSetup();

  @Option(names = "--target", description = "the boosted layer, 0 = the first (default ${DEFAULT-VALUE})")
  int target = 0;

  @Option(names = "--rule-lr", description = "the rule's learning rate; 0 = matched to SGD's mean step on the target layer (default ${DEFAULT-VALUE})")
  double ruleLr = 0;

  @Option(names = "--boost", description = "C; 0 = the rule's default (200 for layer 0, else 5) (default ${DEFAULT-VALUE})")
  double boost = 0;

  /** One training run. */
  private record Run(String name, Sequential model, FeatureProbes probes, FeatureRuns.EpochLog log) {}

  /** Mean Frobenius norm of the optimizer's steps on one weight, lr * ||grad|| for SGD. */
  private static final class StepLength implements TrainListener {
    private final Tensor weight;
    private final double lr;
    private double sum;
    private long count;

    StepLength(Linear layer, double lr) {
      this.weight = layer.weight().tensor();
      this.lr = lr;
    }

    @Override
    public void onStepEnd(TrainState state) {
      Tensor g = weight.grad(); // the trainer leaves the step's gradients in place for listeners
      if (g == null) return;
      sum += lr * Math.sqrt(g.toFloat64().square().sum().item());
      count++;
    }

    double mean() {
      return sum / count;
    }
  }

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    String which = FeatureRuns.resolveData(name(), setup.data, "quadrant");
    Split split = FeatureRuns.classification(which, setup.n, setup.nTest, setup.d, 0, FeatureRuns.Targets.CENTERED_ONE_HOT, seed);
    boolean standardized = setup.standardize && which.equals("fashion-mnist");
    if (standardized) split = FeatureRuns.standardizePerChannel(split);
    int in = split.train().featureCount(), out = split.train().numClasses();
    if (target < 0 || target > setup.depth) throw new IllegalArgumentException("alignment-rule: --target must be in [0, " + setup.depth + "], got " + target);

    StepLength[] speed = new StepLength[1];
    Run sgd = train(dir, "sgd", split, in, out, m -> new SGD(m.parameters(), setup.lr), m -> {
      speed[0] = new StepLength(Models.linearLayers(m).get(target), setup.lr);
      return speed[0];
    });
    double meanSgdStep = speed[0].mean();
    AlignmentBoostingSGD[] rule = new AlignmentBoostingSGD[1];
    double[] usedLr = new double[1];
    Run boosted = train(dir, "rule", split, in, out, m -> {
      AlignmentBoostingSGD o = new AlignmentBoostingSGD(m, 1, target);
      if (boost > 0) o.boost(boost);
      usedLr[0] = ruleLr > 0 ? ruleLr : meanSgdStep / o.boostFactor(); // the target layer then moves lr * C per step
      o.setLr(usedLr[0]);
      rule[0] = o;
      return o;
    }, m -> null);

    String layer = FeatureRuns.layerNames(sgd.probes()).get(0);
    double ucSgd = FeatureRuns.last(sgd.probes(), layer, Nfa.UC_NFA, UC), ucRule = FeatureRuns.last(boosted.probes(), layer, Nfa.UC_NFA, UC);
    double lossSgd = sgd.log().last("test_loss"), lossRule = boosted.log().last("test_loss");
    String label = "layer " + (target + 1);

    ExperimentResult r = new ExperimentResult(name())
        .config("data", which).config("inputs", standardized ? "standardized (training pixel mean and std)" : "raw").config("n", split.train().size()).config("n_test", split.test().size())
        .config("widths", in + " -> " + setup.depth + " x " + setup.width + " -> " + out).config("bias", false).config("activation", "relu")
        .config("init", "pytorch default (both runs start from the same weights and see the same batches)")
        .config("targets", "centered one-hot").config("loss", "(1/2n) sum ||f - y||^2").config("epochs", setup.epochs).config("batch", setup.batch)
        .config("sgd_lr", setup.lr).config("target_layer", target + " (" + label + ", module '" + layer + "')")
        .config("rule", rule[0].toString()).config("rule_lr", usedLr[0])
        .config("rule_lr_choice", ruleLr > 0 ? "given" : "matched: lr * C = mean SGD step norm on the target layer = " + Claim.fmt(meanSgdStep))
        .config("nfa", "UC-NFA = pearson(W^T W, W^T K W) of the target layer");
    r.note(FeatureRuns.dataNote(which, split, FeatureRuns.Targets.CENTERED_ONE_HOT)
        + (standardized ? " Pixels then standardized with the mean and std of all training pixels, as the paper's code (dmbeaglehole/centered_NFA, dataset.py) does." : ""));
    r.claim(Claim.atLeast("alignment-rule.sgd-trained", "sanity: SGD learned the task (final test accuracy)", 0.7, sgd.log().last("test_accuracy")));
    r.claim(Claim.atLeast("alignment-rule.rule-nfa", "the rule lifts " + label + "'s UC-NFA to about 0.9", 0.8, ucRule));
    r.claim(Claim.greater("alignment-rule.lift", label + "'s UC-NFA under the rule is far above SGD's (by more than 0.2)",
        "rule", ucRule, "SGD + 0.2", ucSgd + 0.2));
    r.claim(Claim.atMost("alignment-rule.similar-loss", "the rule's final test loss is similar to SGD's (at most 1.5x SGD's " + f3(lossSgd) + ")",
        1.5 * lossSgd, lossRule));
    for (Run run : List.of(sgd, boosted)) {
      r.note(String.format(java.util.Locale.ROOT, "%s: %s UC-NFA %s (init %s), C-NFA %s, pearson(NFM, AGOP^{1/2}) %s, ||dW||/||W|| %s; test loss %s, accuracy %s.",
          run.name(), label, f3(FeatureRuns.last(run.probes(), layer, Nfa.UC_NFA, UC)), f3(FeatureRuns.atInit(run.probes(), layer, Nfa.UC_NFA, UC)),
          f3(FeatureRuns.last(run.probes(), layer, Nfa.C_NFA, C)), f3(FeatureRuns.last(run.probes(), layer, Nfa.NFA, NFA_HALF)),
          f3(FeatureRuns.last(run.probes(), layer, Nfa.WEIGHT_CHANGE, null)), f3(run.log().last("test_loss")), f3(run.log().last("test_accuracy"))));
    }
    r.note("With eps = 0 the rule's step on the target layer has the fixed length lr * C = " + Claim.fmt(usedLr[0] * rule[0].boostFactor())
        + " from the first step to the last (SGD's steps shrink with the gradient); the other layers move lr / C per step.");
    r.note("Protocol sources: the network shape (5 x 256 ReLU, no bias, PyTorch default init), the centered one-hot MSE targets and the "
        + "per-channel input standardization follow the paper's code (dmbeaglehole/centered_NFA, MLP/; it trains longer on more data); that repository has no code for the rule, so the rule's step length (matched to SGD's) is this "
        + "experiment's choice.");
    r.note("Only the target layer is probed. Trainer outputs (metrics.jsonl with the probe rows, snapshots at init and end) are in sgd/ and rule/.");

    List<Map<String, Object>> rows = new ArrayList<>();
    for (Run run : List.of(sgd, boosted)) rows.addAll(FeatureRuns.metricsRows(run.name(), run.probes(), run.log()));
    FeatureRuns.writeJsonl(dir.resolve("metrics.jsonl"), rows);

    List<NfaSeries> series = new ArrayList<>();
    for (Run run : List.of(sgd, boosted)) {
      series.add(new NfaSeries(run.name() + " " + label, false, 1, FeatureRuns.series(run.probes(), layer, Nfa.UC_NFA, UC)));
      series.add(new NfaSeries(run.name() + " " + label, true, 1, FeatureRuns.series(run.probes(), layer, Nfa.C_NFA, C)));
      series.add(new NfaSeries(run.name() + " " + label, false, 0.5, FeatureRuns.series(run.probes(), layer, Nfa.NFA, NFA_HALF)));
    }
    r.chart(FeatureRuns.chart(dir, "nfa_sgd_vs_rule", Charts.nfa(label + ": UC-NFA (solid), C-NFA (dashed), NFA alpha = 1/2 (squares), SGD vs rule",
        "pearson", FeatureRuns.steps(sgd.probes()), series)));
    Map<String, double[]> losses = new LinkedHashMap<>();
    losses.put("SGD", sgd.log().values("test_loss"));
    losses.put("alignment-boosting rule", boosted.log().values("test_loss"));
    r.chart(FeatureRuns.chart(dir, "test_loss", FeatureRuns.lines("test loss per epoch", "test loss (log)", true, sgd.log().stepArray(), losses)));
    for (Run run : List.of(sgd, boosted)) {
      r.chart(FeatureRuns.firstLayerHeatmap(dir, "heatmap_" + run.name(), label + " after training with " + run.name(), run.model(), run.probes()));
    }
    return r;
  }

  private Run train(Path dir, String runName, Split split, int in, int out, Function<Sequential, Optimizer> optimizer,
                    Function<Sequential, TrainListener> extra) throws Exception {
    Rng root = new Rng(seed);
    Sequential model = FeatureRuns.mlp(in, setup.width, setup.depth, out, Init.pytorchDefault(), root.split());
    String layerName = FeatureRuns.moduleName(model, Models.linearLayers(model).get(target));
    FeatureProbes probes = FeatureProbes.attach(model, ProbeConfig.builder().layers(layerName)
        .quantities(Quantity.NFA, Quantity.UC_NFA, Quantity.C_NFA, Quantity.WEIGHT_CHANGE, Quantity.NFM, Quantity.AGOP)
        .everyEpochs(setup.probeEvery).snapshotEvery(Integer.MAX_VALUE)
        .probeSamples(Math.min(setup.probeSamples, split.train().size())).probeSeed(seed).build());
    FeatureRuns.EpochLog log = new FeatureRuns.EpochLog();
    Trainer.Builder b = Trainer.builder().model(model).loss(MSELoss.halfSumOverBatch()).optimizer(optimizer.apply(model))
        .train(new DataLoader(split.train(), setup.batch, true, false, root.split())).test(split.test()).epochs(setup.epochs)
        .listener(log).listener(probes).outDir(dir.resolve(runName)).checkpointEveryEpochs(0).config("experiment", name()).config("run", runName);
    TrainListener e = extra.apply(model);
    if (e != null) b.listener(e);
    TrainResult res = b.build().run();
    if (res.diverged()) throw new IllegalStateException("alignment-rule: the " + runName + " run diverged: " + res.stopReason());
    return new Run(runName, model, probes, log);
  }
}
