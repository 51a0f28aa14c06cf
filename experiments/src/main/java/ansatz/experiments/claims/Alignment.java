package ansatz.experiments.claims;

import static ansatz.experiments.claims.FeatureRuns.C;
import static ansatz.experiments.claims.FeatureRuns.UC;
import static ansatz.experiments.claims.FeatureRuns.f3;

import ansatz.autograd.Rng;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.Nfa;
import ansatz.instrument.chart.ChartFiles;
import ansatz.instrument.chart.Charts;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.instrument.record.Quantity;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.init.Init;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * DEFINITIONS.md claim 5 (sections 3 and 9): in a bias-free ReLU MLP trained from the default
 * initialization, the first layer's uncentered alignment UC-NFA = pearson(W^T W, W^T K W) stays
 * modest (about 0.5) while the centered one, C-NFA = pearson(dW^T dW, dW^T K dW) with
 * dW = W - W(0), is high (about 0.95): the weight change aligns with the tangent features, the
 * weights as a whole do not, because the random initial part dominates them. The network has 5
 * hidden layers of width 256 and is trained by SGD on the MSE with centered one-hot targets, on
 * Fashion-MNIST when it is installed, else on the quadrant task. Every layer's UC-NFA, C-NFA and
 * ||dW||_F / ||W||_F are probed over training by a {@link FeatureProbes} listener.
 *
 * <p>Tests, fixed before the first run, on layer 1 after training: C-NFA &gt;= 0.9 ("about 0.95");
 * C-NFA &gt; UC-NFA; UC-NFA in [0.25, 0.75] ("modest, about 0.5"); and, as a sanity check, test
 * accuracy &gt;= 0.7.
 */
@Command(name = "alignment", description = "UC-NFA vs C-NFA per layer over training (5x256 ReLU MLP, default init): layer 1 UC modest, C high")
public final class Alignment extends BaseExperiment {
  /** The data, network, SGD run and probes shared with the other alignment experiment. */
  @Mixin
  AlignmentSetup setup = new AlignmentSetup();

  @Option(names = "--snapshot-every", description = "write snapshots at every N-th probe; 0 = at init and the end only (default ${DEFAULT-VALUE})")
  int snapshotEvery = 0;

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    String which = FeatureRuns.resolveData(name(), setup.data, "quadrant");
    Split split = FeatureRuns.classification(which, setup.n, setup.nTest, setup.d, 0, FeatureRuns.Targets.CENTERED_ONE_HOT, seed);
    boolean standardized = setup.standardize && which.equals("fashion-mnist");
    if (standardized) split = FeatureRuns.standardizePerChannel(split);
    Rng root = new Rng(seed);
    Sequential model = FeatureRuns.mlp(split.train().featureCount(), setup.width, setup.depth, split.train().numClasses(), Init.pytorchDefault(), root.split());
    FeatureProbes probes = FeatureProbes.attach(model, ProbeConfig.builder()
        .quantities(Quantity.NFA, Quantity.UC_NFA, Quantity.C_NFA, Quantity.WEIGHT_CHANGE, Quantity.NFM, Quantity.AGOP)
        .everyEpochs(setup.probeEvery).snapshotEvery(snapshotEvery <= 0 ? Integer.MAX_VALUE : snapshotEvery)
        .probeSamples(Math.min(setup.probeSamples, split.train().size())).probeSeed(seed).build());
    FeatureRuns.EpochLog log = new FeatureRuns.EpochLog();
    TrainResult res = Trainer.builder().model(model).loss(MSELoss.halfSumOverBatch()).optimizer(new SGD(model.parameters(), setup.lr))
        .train(new DataLoader(split.train(), setup.batch, true, false, root.split())).test(split.test()).epochs(setup.epochs)
        .listener(log).listener(probes).outDir(dir.resolve("train")).checkpointEveryEpochs(0)
        .config("experiment", name()).build().run();
    if (res.diverged()) throw new IllegalStateException("alignment: training diverged: " + res.stopReason() + " (lower --lr)");

    ExperimentResult r = new ExperimentResult(name())
        .config("data", which).config("inputs", standardized ? "standardized (training pixel mean and std)" : "raw").config("n", split.train().size()).config("n_test", split.test().size())
        .config("widths", split.train().featureCount() + " -> " + setup.depth + " x " + setup.width + " -> " + split.train().numClasses())
        .config("bias", false).config("activation", "relu").config("init", "pytorch default U(-1/sqrt(fan_in), 1/sqrt(fan_in))")
        .config("targets", "centered one-hot").config("loss", "(1/2n) sum ||f - y||^2").config("optimizer", "SGD").config("lr", setup.lr)
        .config("batch", setup.batch).config("epochs", setup.epochs).config("probe_every_epochs", setup.probeEvery)
        .config("probe_samples", probes.probeInputs().size(0))
        .config("uc_nfa", "pearson(W^T W, W^T K W)").config("c_nfa", "pearson(dW^T dW, dW^T K dW), dW = W - W(0)");
    r.note(FeatureRuns.dataNote(which, split, FeatureRuns.Targets.CENTERED_ONE_HOT)
        + (standardized ? " Pixels then standardized with the mean and std of all training pixels, as the paper's code (dmbeaglehole/centered_NFA, dataset.py) does." : ""));

    String first = FeatureRuns.layerNames(probes).get(0);
    double uc = FeatureRuns.last(probes, first, Nfa.UC_NFA, UC), c = FeatureRuns.last(probes, first, Nfa.C_NFA, C);
    double acc = log.last("test_accuracy");
    r.claim(Claim.atLeast("alignment.trained", "sanity: the network learned the task (final test accuracy)", 0.7, acc));
    r.claim(Claim.atLeast("alignment.layer-1.c-nfa", "layer 1's C-NFA after training is high (about 0.95)", 0.9, c));
    r.claim(Claim.greater("alignment.layer-1.c-above-uc", "layer 1's C-NFA is above its UC-NFA", "C-NFA", c, "UC-NFA", uc));
    r.claim(Claim.check("alignment.layer-1.uc-modest", "layer 1's UC-NFA after training is modest (about 0.5)", "in [0.25, 0.75]", Claim.fmt(uc),
        uc >= 0.25 && uc <= 0.75));

    StringBuilder sb = new StringBuilder("After training (test loss " + f3(log.last("test_loss")) + ", accuracy " + f3(acc) + "), per layer UC-NFA / C-NFA / ||dW||/||W||:");
    List<String> names = FeatureRuns.layerNames(probes), labels = FeatureRuns.layerLabels(probes);
    for (int i = 0; i < names.size(); i++) {
      sb.append(String.format(Locale.ROOT, " %s %s / %s / %s%s", labels.get(i), f3(FeatureRuns.last(probes, names.get(i), Nfa.UC_NFA, UC)),
          f3(FeatureRuns.last(probes, names.get(i), Nfa.C_NFA, C)), f3(FeatureRuns.last(probes, names.get(i), Nfa.WEIGHT_CHANGE, null)),
          i + 1 < names.size() ? ";" : "."));
    }
    r.note(sb.toString());
    r.note("Trainer output (metrics.jsonl with every probe row, snapshots at init and end, model.json, probes.json) is in train/.");

    FeatureRuns.writeJsonl(dir.resolve("metrics.jsonl"), FeatureRuns.metricsRows("train", probes, log));
    long[] steps = FeatureRuns.steps(probes);
    r.chart(save(dir, "uc_vs_c", Charts.nfa("UC-NFA (solid) vs C-NFA (dashed) per layer", "pearson", steps, FeatureRuns.ucVersusC(probes))));
    r.chart(save(dir, "weight_change", FeatureRuns.lines("relative weight change per layer", "||W - W(0)||_F / ||W||_F", false, steps,
        FeatureRuns.weightChange(probes))));
    r.chart(save(dir, "nfa_alpha", Charts.nfa("pearson(NFM, AGOP^alpha) per layer: alpha = 1/2 (squares) vs 1 (circles)", "pearson", steps,
        FeatureRuns.nfaAlphaSeries(probes))));
    r.chart(FeatureRuns.firstLayerHeatmap(dir, "heatmap_layer1", "layer 1 after training", model, probes));
    Map<String, double[]> acc2 = new LinkedHashMap<>();
    acc2.put("test accuracy", log.values("test_accuracy"));
    r.chart(save(dir, "test_accuracy", FeatureRuns.lines("test accuracy per epoch", "accuracy", false, log.stepArray(), acc2)));
    return r;
  }

  private static Path save(Path dir, String name, org.knowm.xchart.XYChart chart) {
    return FeatureRuns.chart(dir, name, chart);
  }
}
