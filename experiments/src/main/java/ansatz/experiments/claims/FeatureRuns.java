package ansatz.experiments.claims;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.AtomicFiles;
import ansatz.instrument.Nfa;
import ansatz.instrument.NfaVariant;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.instrument.chart.ChartFiles;
import ansatz.instrument.chart.Curves;
import ansatz.instrument.chart.Heatmaps;
import ansatz.instrument.chart.NfaSeries;
import ansatz.instrument.math.Correlation;
import ansatz.instrument.math.Matrices;
import ansatz.instrument.record.FeatureProbes;
import ansatz.autograd.Rng;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Sequential;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.FashionMnist;
import ansatz.nn.data.Preprocess;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.init.Init;
import ansatz.nn.io.Json;
import ansatz.nn.train.TrainListener;
import ansatz.nn.train.TrainState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the NFA, alignment and collapse experiments share: the NFA variants they report, series of
 * probed values over time, the epoch-end evaluations, the first-layer heatmap and the experiment's
 * own metrics.jsonl. Every number comes from the instrument module; this class only arranges it.
 */
final class FeatureRuns {
  private FeatureRuns() {}

  /** The default report of DEFINITIONS.md section 2: pearson(NFM, AGOP^{1/2}). */
  static final NfaVariant NFA_HALF = NfaVariant.DEFAULT;
  /** The alpha = 1 value reported beside it: pearson(NFM, AGOP). */
  static final NfaVariant NFA_ONE = new NfaVariant(Correlation.PEARSON, 1, false, false);
  /** UC-NFA = pearson(W^T W, W^T K W). */
  static final NfaVariant UC = new NfaVariant(Correlation.PEARSON, 1, false, false);
  /** C-NFA = pearson(dW^T dW, dW^T K dW), dW = W - W(0). */
  static final NfaVariant C = new NfaVariant(Correlation.PEARSON, 1, true, false);

  /** @return true when the Fashion-MNIST files are installed in the default directory */
  static boolean fashionMnistPresent() {
    Path d = FashionMnist.DEFAULT_DIR;
    for (String base : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      if (!Files.isRegularFile(d.resolve(base + ".gz")) && !Files.isRegularFile(d.resolve(base))) return false;
    }
    return true;
  }

  /**
   * Resolves a {@code --data} choice between Fashion-MNIST and a synthetic fallback.
   *
   * @param choice "auto" (Fashion-MNIST when present, else the fallback), "fashion-mnist" or the fallback's name
   * @return "fashion-mnist" or {@code fallback}
   */
  static String resolveData(String experiment, String choice, String fallback) {
    return switch (choice) {
      case "auto" -> fashionMnistPresent() ? "fashion-mnist" : fallback;
      case "fashion-mnist" -> {
        if (!fashionMnistPresent()) {
          throw new IllegalArgumentException(experiment + ": --data fashion-mnist, but the files are not in " + FashionMnist.DEFAULT_DIR
              + " (install dataset-fashion-mnist or use --data " + fallback + ")");
        }
        yield "fashion-mnist";
      }
      default -> {
        if (!choice.equals(fallback)) {
          throw new IllegalArgumentException(experiment + ": --data must be auto, fashion-mnist or " + fallback + ", got '" + choice + "'");
        }
        yield fallback;
      }
    };
  }

  /** How class labels become regression targets for the MSE. */
  enum Targets {
    /** one-hot minus 1/C (rows sum to 0) */
    CENTERED_ONE_HOT,
    /** 1 at the label, -1 elsewhere */
    PLUS_MINUS_ONE
  }

  /**
   * A classification split for the MSE experiments: Fashion-MNIST (first {@code n} training and
   * {@code nTest} test images, pixels in [0, 1]) or the synthetic 4-class quadrant task in
   * dimension {@code quadrantD}, with the chosen targets.
   *
   * @param which "fashion-mnist" or "quadrant"
   * @param perClass when &gt; 0, the training set is a class-balanced subsample of this many per class
   *     (drawn from the first {@code n} samples, seeded)
   */
  static Split classification(String which, int n, int nTest, int quadrantD, int perClass, Targets targets, long seed) {
    Split raw = which.equals("fashion-mnist")
        ? FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Options.defaults().withLimits(n, nTest))
        : Synthetic.builder("quadrant").d(quadrantD).n(n).nTest(nTest).seed(seed).build();
    Dataset train = raw.train(), test = raw.test();
    if (perClass > 0) train = Preprocess.balancedSubsample(train, perClass, new Rng(seed).split());
    return targets == Targets.CENTERED_ONE_HOT
        ? new Split(Preprocess.centeredOneHotTargets(train), Preprocess.centeredOneHotTargets(test))
        : new Split(Preprocess.plusMinusOneTargets(train), Preprocess.plusMinusOneTargets(test));
  }

  /**
   * The input preprocessing of the alignment paper's code (dmbeaglehole/centered_NFA, dataset.py
   * {@code process}): every pixel shifted and scaled by the mean and the (n - 1) std of all training
   * pixels of its channel (Fashion-MNIST has one channel, so one mean and one std), the same shift
   * and scale applied to the test images.
   */
  static Split standardizePerChannel(Split split) {
    double[] x = split.train().inputs().toDoubleArray();
    double mean = 0, m2 = 0;
    for (double v : x) mean += v;
    mean /= x.length;
    for (double v : x) m2 += (v - mean) * (v - mean);
    double std = Math.sqrt(m2 / (x.length - 1));
    if (!(std > 0)) throw new IllegalArgumentException("standardizePerChannel: the training inputs are constant");
    return new Split(shiftScale(split.train(), mean, std), shiftScale(split.test(), mean, std));
  }

  private static Dataset shiftScale(Dataset d, double mean, double std) {
    Tensor in = d.inputs();
    double[] x = in.toDoubleArray();
    for (int i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
    return d.withInputs(Tensor.of(x, in.shape()).to(in.dtype()));
  }

  /** @return a note saying which data set was used */
  static String dataNote(String which, Split split, Targets targets) {
    String what = which.equals("fashion-mnist") ? "Fashion-MNIST (first images of the IDX files, pixels in [0, 1])"
        : "the synthetic 4-class quadrant task (x ~ N(0, I), class = quadrant of (x1, x2))";
    String t = targets == Targets.CENTERED_ONE_HOT ? "centered one-hot targets (one-hot minus 1/C)" : "+-1 targets";
    return "Data: " + what + ", " + split.train().size() + " training / " + split.test().size() + " test samples, " + t + ".";
  }

  /** @return a bias-free ReLU MLP in -> width x depth -> out with the given weight rule */
  static Sequential mlp(int in, int width, int depth, int out, Init init, Rng rng) {
    int[] widths = new int[depth + 2];
    widths[0] = in;
    for (int i = 1; i <= depth; i++) widths[i] = width;
    widths[depth + 1] = out;
    return Models.mlp(widths, Activation.RELU, false, init, rng);
  }

  /** @return the dotted name of {@code module} inside {@code model} */
  static String moduleName(Module model, Module module) {
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) if (e.getValue() == module) return e.getKey();
    throw new IllegalArgumentException(module + " is not part of the model");
  }

  /** @return "layer 1", "layer 2", ... for the probed layers, in order (the papers count from 1) */
  static List<String> layerLabels(FeatureProbes probes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < probes.layers().size(); i++) out.add("layer " + (i + 1));
    return out;
  }

  /** @return the module names of the probed layers, in order */
  static List<String> layerNames(FeatureProbes probes) {
    return probes.layers().stream().map(ProbedLayer::name).toList();
  }

  /** @return the step of every probe, the initialization first */
  static long[] steps(FeatureProbes probes) {
    return probes.history().stream().mapToLong(FeatureProbes.Probe::step).toArray();
  }

  /** @return one probed value per probe (NaN where absent, e.g. C-NFA at init) */
  static double[] series(FeatureProbes probes, String layer, String quantity, NfaVariant variant) {
    String label = variant == null ? "-" : variant.label();
    return probes.history().stream().mapToDouble(p -> p.value(layer, quantity, label)).toArray();
  }

  /** @return the last probe's value */
  static double last(FeatureProbes probes, String layer, String quantity, NfaVariant variant) {
    return probes.latest().value(layer, quantity, variant == null ? "-" : variant.label());
  }

  /** @return the value at initialization (the baseline) */
  static double atInit(FeatureProbes probes, String layer, String quantity, NfaVariant variant) {
    return probes.history().get(0).value(layer, quantity, variant == null ? "-" : variant.label());
  }

  /** NFA curves: every layer, alpha 1/2 and 1 of the plain NFM (drawn solid: "UC"). */
  static List<NfaSeries> nfaAlphaSeries(FeatureProbes probes) {
    List<NfaSeries> out = new ArrayList<>();
    List<String> names = layerNames(probes), labels = layerLabels(probes);
    for (int i = 0; i < names.size(); i++) {
      out.add(new NfaSeries(labels.get(i), false, 0.5, series(probes, names.get(i), Nfa.NFA, NFA_HALF)));
      out.add(new NfaSeries(labels.get(i), false, 1, series(probes, names.get(i), Nfa.NFA, NFA_ONE)));
    }
    return out;
  }

  /** UC-NFA (solid) and C-NFA (dashed) curves of every layer. */
  static List<NfaSeries> ucVersusC(FeatureProbes probes) {
    List<NfaSeries> out = new ArrayList<>();
    List<String> names = layerNames(probes), labels = layerLabels(probes);
    for (int i = 0; i < names.size(); i++) {
      out.add(new NfaSeries(labels.get(i), false, 1, series(probes, names.get(i), Nfa.UC_NFA, UC)));
      out.add(new NfaSeries(labels.get(i), true, 1, series(probes, names.get(i), Nfa.C_NFA, C)));
    }
    return out;
  }

  /** ||dW||_F / ||W||_F per layer over the probes. */
  static Map<String, double[]> weightChange(FeatureProbes probes) {
    Map<String, double[]> out = new LinkedHashMap<>();
    List<String> names = layerNames(probes), labels = layerLabels(probes);
    for (int i = 0; i < names.size(); i++) out.put(labels.get(i), series(probes, names.get(i), Nfa.WEIGHT_CHANGE, null));
    return out;
  }

  /**
   * Draws NFM = W^T W next to AGOP^{1/2} of the first probed layer, both computed now on the probe
   * subset (the chain-rule AGOP), and returns the file written.
   *
   * @return the PNG path relative to {@code dir}
   */
  static Path firstLayerHeatmap(Path dir, String name, String title, Module model, FeatureProbes probes) {
    ProbedLayer first = probes.layers().get(0);
    LayerAgop a = new ChainRuleAgop(model, List.of(first)).compute(probes.probeInputs()).get(first.name());
    Tensor w = a.weight();
    Tensor nfm = w.t().matmul(w);
    Tensor root = Matrices.psdPower(a.agop(), 0.5);
    double rho = Correlation.PEARSON.of(nfm, root);
    ChartFiles.Written out = Heatmaps.writePair(dir, name,
        String.format(Locale.ROOT, "%s: pearson = %.3f", title, rho), nfm, "NFM = W^T W", root, "AGOP^{1/2}");
    return dir.relativize(out.png());
  }

  /** Epoch-end evaluations (test loss, accuracy), in order; the trainer evaluates before the listeners run. */
  static final class EpochLog implements TrainListener {
    final List<Long> steps = new ArrayList<>();
    final List<Map<String, Double>> evals = new ArrayList<>();

    @Override
    public void onEpochEnd(TrainState state) {
      steps.add(state.step());
      evals.add(new LinkedHashMap<>(state.lastEvaluation()));
    }

    long[] stepArray() {
      return steps.stream().mapToLong(Long::longValue).toArray();
    }

    double[] values(String key) {
      return evals.stream().mapToDouble(m -> m.getOrDefault(key, Double.NaN)).toArray();
    }

    double last(String key) {
      return evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).getOrDefault(key, Double.NaN);
    }
  }

  /**
   * The experiment's metrics.jsonl rows of one run: one {@code type=epoch} row per epoch (train and
   * test loss, accuracy) and one {@code type=probe} row per probe and layer with the named values.
   */
  static List<Map<String, Object>> metricsRows(String run, FeatureProbes probes, EpochLog log) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int e = 0; e < log.steps.size(); e++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("run", run);
      row.put("type", "epoch");
      row.put("step", log.steps.get(e));
      row.put("epoch", e + 1);
      row.putAll(log.evals.get(e));
      rows.add(row);
    }
    List<String> names = layerNames(probes), labels = layerLabels(probes);
    for (FeatureProbes.Probe p : probes.history()) {
      for (int i = 0; i < names.size(); i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", run);
        row.put("type", "probe");
        row.put("step", p.step());
        row.put("epoch", p.epoch());
        row.put("layer", labels.get(i));
        row.put("module", names.get(i));
        row.put("nfa_pearson_alpha_0.5", p.value(names.get(i), Nfa.NFA, NFA_HALF.label()));
        row.put("nfa_pearson_alpha_1", p.value(names.get(i), Nfa.NFA, NFA_ONE.label()));
        row.put("uc_nfa_pearson", p.value(names.get(i), Nfa.UC_NFA, UC.label()));
        row.put("c_nfa_pearson", p.value(names.get(i), Nfa.C_NFA, C.label()));
        row.put("weight_change", p.value(names.get(i), Nfa.WEIGHT_CHANGE, "-"));
        rows.add(row);
      }
    }
    return rows;
  }

  /** @return a line chart of named series over steps ({@link Curves}) */
  static org.knowm.xchart.XYChart lines(String title, String yTitle, boolean logY, long[] steps, Map<String, double[]> series) {
    double[] x = new double[steps.length];
    for (int i = 0; i < x.length; i++) x[i] = steps[i];
    return Curves.lines(title, "step", yTitle, x, series, logY);
  }

  /** Writes a line chart as PNG and SVG. @return the PNG path relative to {@code dir} */
  static Path chart(Path dir, String name, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
    return dir.relativize(ChartFiles.save(chart, dir, name).png());
  }

  /** Writes rows as JSON lines, atomically. */
  static void writeJsonl(Path file, List<Map<String, Object>> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> r : rows) sb.append(Json.write(r)).append('\n');
    AtomicFiles.writeString(file, sb.toString());
  }

  /** @return "0.123" style, for notes */
  static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
