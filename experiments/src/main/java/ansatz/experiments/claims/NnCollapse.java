package ansatz.experiments.claims;

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
import ansatz.nn.metrics.NeuralCollapse;
import ansatz.instrument.collapse.SingularSplit;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.instrument.record.Quantity;
import ansatz.nn.Identity;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Split;
import ansatz.nn.init.Init;
import ansatz.nn.loss.MSELoss;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Neural collapse in a trained MLP and where it happens (DEFINITIONS.md section 6; the deep neural
 * collapse paper's claim that the AGOP, i.e. the right singular structure of the weights, does the
 * collapsing). A bias-free ReLU MLP is trained by SGD on the MSE with +-1 targets on a
 * class-balanced training set (Fashion-MNIST when installed, else the quadrant task). For every
 * Linear layer W = U S V^T with input features X, NC1 = tr(Sigma_W) / tr(Sigma_B) is measured on X,
 * on S V^T X (the right singular structure) and on the whole layer's output sigma(W X)
 * ({@link SingularSplit}), on the training set, over training and at the end; the same layers'
 * NFA correlations come from a {@link FeatureProbes} listener.
 *
 * <p>Tests, fixed before the first run, at the end of training: NC1 decreases with depth, i.e. along
 * the sequence x = h_1, h_2, ..., h_L, f(x) (the inputs of the Linear layers, then the output) at
 * least 80% of the consecutive steps decrease, and the output's NC1 is below the input's; the right
 * singular structure collapses: NC1(S V^T X) &lt;= NC1(X) in more than half of the layers; and, as a
 * sanity check, the training accuracy is &gt;= 0.9.
 */
@Command(name = "nn-collapse", description = "MLP with MSE on +-1 labels: NC1 per layer of X, S V^T X and sigma(WX), beside the layers' NFA")
public final class NnCollapse extends BaseExperiment {
  @Option(names = "--data", description = "auto (Fashion-MNIST when installed, else quadrant), fashion-mnist or quadrant (default ${DEFAULT-VALUE})")
  String data = "auto";

  @Option(names = "--per-class", description = "training samples per class (class-balanced subset) (default ${DEFAULT-VALUE})")
  int perClass = 100;

  @Option(names = "--n-read", description = "samples read to draw the balanced subset from (default ${DEFAULT-VALUE})")
  int nRead = 3000;

  @Option(names = "--n-test", description = "test samples (default ${DEFAULT-VALUE})")
  int nTest = 1000;

  @Option(names = "--d", description = "input dimension of the quadrant task (default ${DEFAULT-VALUE})")
  int d = 20;

  @Option(names = "--width", description = "hidden width (default ${DEFAULT-VALUE})")
  int width = 256;

  @Option(names = "--depth", description = "hidden layers (default ${DEFAULT-VALUE})")
  int depth = 4;

  @Option(names = "--epochs", description = "epochs (default ${DEFAULT-VALUE})")
  int epochs = 60;

  @Option(names = "--batch", description = "mini-batch size (default ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = "--lr", description = "SGD learning rate (default ${DEFAULT-VALUE})")
  double lr = 0.05;

  @Option(names = "--measure-every", description = "NC1 and NFA every N epochs (default ${DEFAULT-VALUE})")
  int measureEvery = 15;

  @Option(names = "--probe-samples", description = "training samples the AGOP is averaged over (default ${DEFAULT-VALUE})")
  int probeSamples = 500;

  /** The singular split of every Linear layer on the training set, after every N-th epoch and at the end. */
  private static final class CollapseTracker implements TrainListener {
    final List<Linear> layers;
    final List<Module> activations = new ArrayList<>();
    final Tensor inputs;
    final int[] labels;
    final int classes;
    final int every;
    final List<Long> steps = new ArrayList<>();
    final List<List<SingularSplit>> splits = new ArrayList<>();

    CollapseTracker(Module model, Dataset train, int every) {
      this.layers = Models.linearLayers(model);
      for (int i = 0; i < layers.size(); i++) activations.add(i + 1 < layers.size() ? new ReLU() : new Identity());
      this.inputs = train.inputs();
      this.labels = train.labels();
      this.classes = train.numClasses();
      this.every = every;
    }

    @Override
    public void onTrainStart(TrainState state) {
      measure(state);
    }

    @Override
    public void onEpochEnd(TrainState state) {
      if (state.epoch() % every == 0) measure(state);
    }

    @Override
    public void onTrainEnd(TrainState state) {
      if (steps.isEmpty() || steps.get(steps.size() - 1) != state.step()) measure(state);
    }

    private void measure(TrainState state) {
      List<SingularSplit> s = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) s.add(SingularSplit.measure(state.model(), layers.get(i), activations.get(i), inputs, labels, classes));
      steps.add(state.step());
      splits.add(s);
    }

    List<SingularSplit> last() {
      return splits.get(splits.size() - 1);
    }
  }

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    String which = FeatureRuns.resolveData(name(), data, "quadrant");
    Split split = FeatureRuns.classification(which, nRead, nTest, d, perClass, FeatureRuns.Targets.PLUS_MINUS_ONE, seed);
    Rng root = new Rng(seed);
    int in = split.train().featureCount(), out = split.train().numClasses();
    Sequential model = FeatureRuns.mlp(in, width, depth, out, Init.pytorchDefault(), root.split());
    FeatureProbes probes = FeatureProbes.attach(model, ProbeConfig.builder()
        .quantities(Quantity.NFA, Quantity.UC_NFA, Quantity.C_NFA, Quantity.WEIGHT_CHANGE, Quantity.NFM, Quantity.AGOP)
        .everyEpochs(measureEvery).snapshotEvery(Integer.MAX_VALUE)
        .probeSamples(Math.min(probeSamples, split.train().size())).probeSeed(seed).build());
    CollapseTracker tracker = new CollapseTracker(model, split.train(), measureEvery);
    FeatureRuns.EpochLog log = new FeatureRuns.EpochLog();
    TrainResult res = Trainer.builder().model(model).loss(MSELoss.halfSumOverBatch()).optimizer(new SGD(model.parameters(), lr))
        .train(new DataLoader(split.train(), batch, true, false, root.split())).test(split.test()).epochs(epochs)
        .listener(log).listener(probes).listener(tracker).outDir(dir.resolve("train")).checkpointEveryEpochs(0)
        .config("experiment", name()).build().run();
    if (res.diverged()) throw new IllegalStateException("nn-collapse: training diverged: " + res.stopReason() + " (lower --lr)");

    List<SingularSplit> end = tracker.last();
    int layers = end.size();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < layers; i++) labels.add("layer " + (i + 1));
    double[] nc1Input = new double[layers], nc1Right = new double[layers], nc1Layer = new double[layers];
    for (int i = 0; i < layers; i++) {
      nc1Input[i] = end.get(i).input().nc1();
      nc1Right[i] = end.get(i).rightStructure().nc1();
      nc1Layer[i] = end.get(i).wholeLayer().nc1();
    }
    // Depth sequence: inputs of layers 1..L, then the output (the last layer's output).
    double[] depthSeq = new double[layers + 1];
    System.arraycopy(nc1Input, 0, depthSeq, 0, layers);
    depthSeq[layers] = nc1Layer[layers - 1];
    int decreasing = 0;
    for (int i = 0; i + 1 < depthSeq.length; i++) if (depthSeq[i + 1] < depthSeq[i]) decreasing++;
    double fraction = decreasing / (double) (depthSeq.length - 1);
    int rightCollapses = 0;
    for (int i = 0; i < layers; i++) if (nc1Right[i] <= nc1Input[i]) rightCollapses++;

    ExperimentResult r = new ExperimentResult(name())
        .config("data", which).config("n", split.train().size()).config("per_class", perClass).config("n_test", split.test().size())
        .config("widths", in + " -> " + depth + " x " + width + " -> " + out).config("bias", false).config("activation", "relu")
        .config("init", "pytorch default").config("targets", "+-1 (1 at the label, -1 elsewhere)").config("loss", "(1/2n) sum ||f - y||^2")
        .config("optimizer", "SGD").config("lr", lr).config("batch", batch).config("epochs", epochs).config("measure_every_epochs", measureEvery)
        .config("nc1", "tr(Sigma_W) / tr(Sigma_B) on the training set").config("split", "W = U S V^T; X -> S V^T X -> sigma(W X)");
    r.note(FeatureRuns.dataNote(which, split, FeatureRuns.Targets.PLUS_MINUS_ONE) + " Class-balanced: " + perClass + " per class.");
    r.claim(Claim.atLeast("nn-collapse.trained", "sanity: the network fits its training set (final training accuracy)", 0.9, log.last("train_accuracy")));
    r.claim(Claim.atLeast("nn-collapse.depth", "NC1 decreases with depth at the end of training (fraction of decreasing steps along x, h_2, ..., h_L, f(x))",
        0.8, fraction));
    r.claim(Claim.greater("nn-collapse.output-below-input", "the output's NC1 is below the input's", "NC1(x)", depthSeq[0], "NC1(f(x))", depthSeq[layers]));
    r.claim(Claim.check("nn-collapse.right-structure", "the right singular structure collapses: NC1(S V^T X) <= NC1(X) in most layers",
        "more than half of " + layers + " layers", rightCollapses + " of " + layers, rightCollapses * 2 > layers));

    StringBuilder sb = new StringBuilder("End of training, per layer NC1 of X / S V^T X / sigma(W X), and UC-NFA, pearson(NFM, AGOP^{1/2}):");
    List<String> names = FeatureRuns.layerNames(probes);
    for (int i = 0; i < layers; i++) {
      sb.append(' ').append(labels.get(i)).append(' ').append(Claim.fmt(nc1Input[i])).append(" / ").append(Claim.fmt(nc1Right[i])).append(" / ")
          .append(Claim.fmt(nc1Layer[i])).append(", ").append(f3(FeatureRuns.last(probes, names.get(i), Nfa.UC_NFA, UC))).append(", ")
          .append(f3(FeatureRuns.last(probes, names.get(i), Nfa.NFA, NFA_HALF))).append(i + 1 < layers ? ";" : ".");
    }
    r.note(sb.toString());
    r.note(String.format(java.util.Locale.ROOT, "Training accuracy %s, test accuracy %s. Trainer output (metrics.jsonl with the probe rows, "
        + "snapshots at init and end) is in train/.", f3(log.last("train_accuracy")), f3(log.last("test_accuracy"))));

    List<Map<String, Object>> rows = FeatureRuns.metricsRows("train", probes, log);
    for (int t = 0; t < tracker.steps.size(); t++) {
      for (int i = 0; i < layers; i++) {
        SingularSplit s = tracker.splits.get(t).get(i);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", "train");
        row.put("type", "collapse");
        row.put("step", tracker.steps.get(t));
        row.put("layer", labels.get(i));
        row.put("module", names.get(i));
        put(row, "input", s.input());
        put(row, "right_structure", s.rightStructure());
        put(row, "whole_layer", s.wholeLayer());
        rows.add(row);
      }
    }
    FeatureRuns.writeJsonl(dir.resolve("metrics.jsonl"), rows);

    Map<String, double[]> byLayer = new LinkedHashMap<>();
    byLayer.put("X (layer input)", nc1Input);
    byLayer.put("S V^T X (right singular structure)", nc1Right);
    byLayer.put("sigma(W X) (layer output)", nc1Layer);
    r.chart(FeatureRuns.chart(dir, "nc1_by_layer", Charts.nc1ByLayer("NC1 per layer at the end of training", labels, byLayer)));
    long[] steps = tracker.steps.stream().mapToLong(Long::longValue).toArray();
    Map<String, double[]> overTime = new LinkedHashMap<>();
    double[] x0 = new double[steps.length];
    for (int t = 0; t < steps.length; t++) x0[t] = tracker.splits.get(t).get(0).input().nc1();
    overTime.put("input x", x0);
    for (int i = 0; i < layers; i++) {
      double[] v = new double[steps.length];
      for (int t = 0; t < steps.length; t++) v[t] = tracker.splits.get(t).get(i).wholeLayer().nc1();
      overTime.put(labels.get(i) + " output", v);
    }
    r.chart(FeatureRuns.chart(dir, "nc1_over_training", Charts.nc1OverSteps("NC1 of each layer's output over training", steps, overTime)));
    r.chart(FeatureRuns.chart(dir, "nfa_alpha", Charts.nfa("pearson(NFM, AGOP^alpha) per layer: alpha = 1/2 (squares) vs 1 (circles)", "pearson",
        FeatureRuns.steps(probes), FeatureRuns.nfaAlphaSeries(probes))));
    r.chart(FeatureRuns.chart(dir, "uc_vs_c", Charts.nfa("UC-NFA (solid) vs C-NFA (dashed) per layer", "pearson", FeatureRuns.steps(probes),
        FeatureRuns.ucVersusC(probes))));
    r.chart(FeatureRuns.firstLayerHeatmap(dir, "heatmap_layer1", "layer 1 after training", model, probes));
    return r;
  }

  private static void put(Map<String, Object> row, String prefix, NeuralCollapse.Stats s) {
    row.put(prefix + "_nc1", s.nc1());
    row.put(prefix + "_nc1_pinv", s.nc1Pinv());
    row.put(prefix + "_nc2", s.nc2());
  }
}
