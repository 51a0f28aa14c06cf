package ansatz.experiments.claims;

import ansatz.autograd.Rng;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.chart.ChartFiles;
import ansatz.instrument.chart.Charts;
import ansatz.nn.data.DataSpec;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.FashionMnist;
import ansatz.nn.data.Preprocess;
import ansatz.nn.data.Standardizer;
import ansatz.nn.data.Synthetic;
import ansatz.nn.io.Json;
import ansatz.nn.metrics.NeuralCollapse;
import ansatz.nn.rfm.DeepRfm;
import ansatz.nn.rfm.DeepRfmLayer;
import ansatz.nn.rfm.DeepRfmOptions;
import ansatz.nn.rfm.DeepRfmResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DEFINITIONS.md claim 7: Deep RFM (rows to unit norm, one RFM step with L = 2, X &lt;- X M^{1/2},
 * an untrained ReLU map of width 512, repeated) collapses the classes. NC1 (tr Sigma_W / tr Sigma_B)
 * is recorded per layer for X, X M^{1/2} and the mapped features, on the quadrant task and on a
 * class-balanced Fashion-MNIST subset. The tests, fixed before running:
 *
 * <p>Fashion-MNIST is preprocessed as in the authors' code (dmbeaglehole/neural_collapse_rfm,
 * deep_rfm.py): every pixel standardized over the training images before the first layer.
 *
 * <ul>
 *   <li>"falls by about 3 orders of magnitude over 8 layers": NC1 of the last layer's mapped
 *       features over NC1 of the (row-normalized) input data &lt;= 1e-2;
 *   <li>"NC1 after the AGOP projection is below NC1 before it at every layer": NC1(X M^{1/2}) &lt;
 *       NC1(X) at each layer.
 * </ul>
 */
@Command(name = "deep-rfm-collapse", description = "Deep RFM: NC1 falls ~3 orders over 8 layers; the AGOP projection lowers NC1 at every layer")
public final class DeepRfmCollapse extends BaseExperiment {
  @Option(names = "--d", description = "quadrant task input dimension (default ${DEFAULT-VALUE})")
  int d = 20;

  @Option(names = "--n", description = "quadrant task samples (default ${DEFAULT-VALUE})")
  int n = 1000;

  @Option(names = "--layers", description = "Deep RFM layers (default ${DEFAULT-VALUE})")
  int layers = 8;

  @Option(names = "--width", description = "width of the random ReLU map (default ${DEFAULT-VALUE})")
  int width = 512;

  @Option(names = "--bandwidth", description = "Laplace bandwidth L of each RFM step (default ${DEFAULT-VALUE})")
  double bandwidth = 2;

  @Option(names = "--ridge", description = "ridge lambda of each RFM step (default ${DEFAULT-VALUE})")
  double ridge = 1e-3;

  @Option(names = "--data", description = "second data set: fashion-mnist (when installed; skipped otherwise) or none (default ${DEFAULT-VALUE})")
  String data = "fashion-mnist";

  @Option(names = "--fm-per-class", description = "Fashion-MNIST samples per class (default ${DEFAULT-VALUE})")
  int fmPerClass = 100;

  @Option(names = "--fm-standardize", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "standardize every Fashion-MNIST pixel to mean 0, std 1 over the training images before the first layer, "
          + "as the authors' deep_rfm.py does (default ${DEFAULT-VALUE}; --no-fm-standardize keeps pixels in [0, 1])")
  boolean fmStandardize = true;

  /** Thresholds, fixed before the first run. */
  static final double MAX_NC1_RATIO = 1e-2;

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    if (!data.equals("fashion-mnist") && !data.equals("none")) throw new IllegalArgumentException("deep-rfm-collapse: --data must be fashion-mnist or none, got '" + data + "'");
    ExperimentResult r = new ExperimentResult(name());
    DeepRfmOptions o = DeepRfmOptions.defaults().withLayers(layers).withWidth(width).withBandwidth(bandwidth).withRidge(ridge).withSeed(seed);
    r.config("layers", layers).config("kernel", "laplace").config("bandwidth", bandwidth).config("ridge", ridge).config("map", "relu")
        .config("width", width).config("agop_samples", o.agopSamples()).config("center", false).config("dtype", "float32")
        .config("nc1", "tr(Sigma_W)/tr(Sigma_B)");
    List<Map<String, Object>> rows = new ArrayList<>();

    Dataset quadrant = Synthetic.builder("quadrant").d(d).n(n).nTest(0).seed(seed).build().train();
    r.config("quadrant_d", d).config("quadrant_n", n);
    run("quadrant", "quadrant task (d = " + d + ", n = " + n + ")", quadrant, o, dir, r, rows);

    boolean fashion = data.equals("fashion-mnist") && Files.isDirectory(FashionMnist.DEFAULT_DIR);
    if (fashion) {
      int read = Math.min(60000, fmPerClass * 10 * 2);
      Dataset all = DataSpec.parse("fashion-mnist:n=" + read + ",n-test=1").load().train();
      Dataset fm = Preprocess.balancedSubsample(all, fmPerClass, new Rng(seed));
      // The authors' deep_rfm.py (dmbeaglehole/neural_collapse_rfm) standardizes each pixel over the
      // training images (X - mean) / std before the first row normalization.
      if (fmStandardize) fm = Standardizer.fit(fm).apply(fm);
      r.config("fm_n", fm.size()).config("fm_per_class", fmPerClass)
          .config("fm_preprocess", fmStandardize ? "per-pixel standardization over the training images, then rows to unit norm (as deep_rfm.py)"
              : "pixels in [0, 1], rows to unit norm");
      run("fmnist", "Fashion-MNIST (" + fm.size() + " images, " + fmPerClass + " per class)", fm, o, dir, r, rows);
      r.note("Fashion-MNIST (installed, used): " + fm.size() + " training images, " + fmPerClass + " per class, drawn from the first " + read + ".");
    } else {
      r.note(data.equals("none") ? "Fashion-MNIST part skipped (--data none)."
          : "Fashion-MNIST is not installed at " + FashionMnist.DEFAULT_DIR + "; only the quadrant task was run.");
    }
    StringBuilder jsonl = new StringBuilder();
    for (Map<String, Object> row : rows) jsonl.append(Json.write(row)).append('\n');
    Files.writeString(dir.resolve("metrics.jsonl"), jsonl);
    return r;
  }

  private void run(String key, String label, Dataset data, DeepRfmOptions o, Path dir, ExperimentResult r, List<Map<String, Object>> rows) {
    DeepRfmResult res = DeepRfm.fit(data.inputs(), data.labels(), data.numClasses(), o);
    int depth = res.layers().size();
    double[] input = new double[depth], projected = new double[depth], mapped = new double[depth];
    double[] nc2Input = new double[depth], nc2Projected = new double[depth], nc2Mapped = new double[depth];
    List<String> names = new ArrayList<>();
    int lowered = 0;
    StringBuilder misses = new StringBuilder();
    for (DeepRfmLayer l : res.layers()) {
      int i = l.layer();
      input[i] = l.input().nc1();
      projected[i] = l.projected().nc1();
      mapped[i] = l.mapped().nc1();
      nc2Input[i] = l.input().nc2();
      nc2Projected[i] = l.projected().nc2();
      nc2Mapped[i] = l.mapped().nc2();
      names.add(String.valueOf(i + 1));
      if (projected[i] < input[i]) lowered++;
      else misses.append(misses.isEmpty() ? "" : ", ").append(i + 1);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("data", key);
      row.put("layer", i + 1);
      put(row, "input", l.input());
      put(row, "projected", l.projected());
      put(row, "mapped", l.mapped());
      row.put("seconds", l.seconds());
      rows.add(row);
    }
    double ratio = mapped[depth - 1] / input[0];
    r.claim(Claim.atMost("deep-rfm-collapse." + key + "-nc1-falls",
        label + ": NC1 falls by about 3 orders of magnitude over " + depth + " layers (NC1 of layer " + depth + "'s mapped features / NC1 of the input)",
        MAX_NC1_RATIO, ratio));
    r.claim(Claim.check("deep-rfm-collapse." + key + "-projection-lowers-nc1",
        label + ": NC1 after the AGOP projection (X M^1/2) is below NC1 before it (X) at every layer",
        "all " + depth + " layers", lowered + " of " + depth + (misses.isEmpty() ? "" : " (not at layer " + misses + ")"), lowered == depth));
    r.note(String.format(Locale.ROOT, "%s: NC1 of X per layer %s; of X M^1/2 %s; mapped %s. NC2 of the mapped features: first %s, last %s.",
        label, fmt(input), fmt(projected), fmt(mapped), Claim.fmt(nc2Mapped[0]), Claim.fmt(nc2Mapped[depth - 1])));

    Map<String, double[]> nc1 = new LinkedHashMap<>();
    nc1.put("X (row-normalized input)", input);
    nc1.put("X M^1/2 (after AGOP projection)", projected);
    nc1.put("mapped: ReLU random features", mapped);
    ChartFiles.save(Charts.nc1ByLayer("Deep RFM, " + label + ": NC1 per layer", names, nc1), dir, key + "_nc1");
    r.chart(Path.of(key + "_nc1.png"));
    Map<String, double[]> nc2 = new LinkedHashMap<>();
    nc2.put("X", nc2Input);
    nc2.put("X M^1/2", nc2Projected);
    nc2.put("mapped", nc2Mapped);
    var chart = Charts.nc1ByLayer("Deep RFM, " + label + ": NC2 per layer", names, nc2);
    chart.setYAxisTitle("NC2 = mean (M M^T - ETF)^2 (log)");
    ChartFiles.save(chart, dir, key + "_nc2");
    r.chart(Path.of(key + "_nc2.png"));
  }

  private static void put(Map<String, Object> row, String prefix, NeuralCollapse.Stats s) {
    row.put(prefix + "_nc1", s.nc1());
    row.put(prefix + "_nc1_pinv", s.nc1Pinv());
    row.put(prefix + "_nc2", s.nc2());
  }

  private static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(Claim.fmt(v[i]));
    return sb.append(']').toString();
  }
}
