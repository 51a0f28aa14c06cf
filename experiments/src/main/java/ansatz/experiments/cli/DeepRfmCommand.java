package ansatz.experiments.cli;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.AtomicFiles;
import ansatz.autograd.io.Npz;
import ansatz.nn.io.Json;
import ansatz.nn.metrics.NeuralCollapse;
import ansatz.nn.rfm.DeepRfm;
import ansatz.nn.rfm.DeepRfmLayer;
import ansatz.nn.rfm.DeepRfmOptions;
import ansatz.nn.rfm.DeepRfmResult;
import ansatz.nn.rfm.KernelType;
import ansatz.nn.rfm.RandomMapType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ansatz deep-rfm}: fits a Deep RFM ({@link DeepRfm}) to class-labelled data and writes
 * {@code summary.json} (NC1, NC1-pinv and NC2 per layer of X, X M^{1/2} and the mapped features;
 * with evaluation data also those of its transformed features) and {@code M.npz} (each layer's
 * M^{1/2}, keys {@code sqrt_M_0}, {@code sqrt_M_1}, ...). Exit codes: 0 done, 2 bad option or input.
 */
@Command(
    name = "deep-rfm",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Fit a Deep RFM; write summary.json (NC1/NC2 per layer of X, X M^1/2 and the mapped features) and M.npz.",
      "Example: ansatz deep-rfm --data synthetic:quadrant:d=20,n=1000 --layers 8 --out runs/deep-rfm"
    })
public final class DeepRfmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "class-labelled data: fashion-mnist[:DIR][:k=v,...] | synthetic:quadrant[:k=v,...] | csv:PATH[:label=COL,...]")
  String data;

  @Option(names = "--layers", paramLabel = "N", defaultValue = "8", description = "number of layers (default ${DEFAULT-VALUE})")
  int layers;

  @Option(names = "--bandwidth", paramLabel = "L", defaultValue = "2", description = "kernel bandwidth L (default ${DEFAULT-VALUE})")
  double bandwidth;

  @Option(names = "--map", paramLabel = "relu|laplace-fourier", defaultValue = "relu",
      description = "random map after each projection (default ${DEFAULT-VALUE})")
  String map;

  @Option(names = "--width", paramLabel = "N", defaultValue = "512", description = "features of the random map (default ${DEFAULT-VALUE})")
  int width;

  @Option(names = "--fourier-bandwidth", paramLabel = "SIGMA", defaultValue = "1",
      description = "sigma of the Laplace random Fourier features (default ${DEFAULT-VALUE})")
  double fourierBandwidth;

  @Mixin KernelMachineOptions common;

  @Override
  public Integer call() throws Exception {
    DeepRfmOptions options = options();
    common.applyThreads();
    KernelData d = KernelData.load(data, common.testData, common.seed);
    if (!d.train().isClassification()) {
      throw new IllegalArgumentException("--data " + data + ": deep-rfm needs class labels, but this is regression data");
    }
    int k = d.train().numClasses();
    int[] labels = d.train().labels();
    checkClasses("--data", labels, k);
    Tensor x = common.inputs(d.train().inputs());

    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "deep-rfm: %s, n = %d, d = %d, %d classes, %d layers%n", d.train().name(), d.train().size(), d.train().featureCount(), k, layers);
    w.flush();
    long t0 = System.nanoTime();
    DeepRfmResult r;
    try {
      r = DeepRfm.fit(x, labels, k, options);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    for (DeepRfmLayer l : r.layers()) {
      w.printf(Locale.ROOT, "layer %d: NC1 X %.3e, X M^1/2 %.3e, mapped %.3e; NC2 X %.3e, X M^1/2 %.3e, mapped %.3e  (%.2f s)%n", l.layer() + 1,
          l.input().nc1(), l.projected().nc1(), l.mapped().nc1(), l.input().nc2(), l.projected().nc2(), l.mapped().nc2(), l.seconds());
    }
    NeuralCollapse.Stats test = null;
    if (d.hasTest()) {
      int[] testLabels = d.test().labels();
      if (presentClasses(testLabels, k) == k) {
        test = NeuralCollapse.of(r.transform(common.inputs(d.test().inputs())), testLabels, k);
        w.printf(Locale.ROOT, "test (%d samples) after %d layers: NC1 %.3e, NC2 %.3e%n", testLabels.length, layers, test.nc1(), test.nc2());
      } else {
        w.printf(Locale.ROOT, "test: not every class occurs in the %d evaluation samples; no test NC1%n", testLabels.length);
      }
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    Path out = common.out;
    w.printf(Locale.ROOT, "%.2f s; outputs in %s%n", seconds, out);
    w.flush();

    Files.createDirectories(out);
    Map<String, Tensor> roots = new LinkedHashMap<>();
    for (int l = 0; l < r.model().depth(); l++) roots.put("sqrt_M_" + l, r.model().sqrtMetric(l));
    Npz.writeTensors(out.resolve("M.npz"), roots, false);
    AtomicFiles.writeString(out.resolve("summary.json"), Json.pretty(summary(d, r, options, test, seconds)));
    return 0;
  }

  private DeepRfmOptions options() {
    KernelType type = common.checkedKernel();
    RandomMapType mapType = switch (map.toLowerCase(Locale.ROOT)) {
      case "relu" -> RandomMapType.RELU;
      case "laplace-fourier", "fourier" -> RandomMapType.LAPLACE_FOURIER;
      default -> throw new IllegalArgumentException("--map must be relu or laplace-fourier, got '" + map + "'");
    };
    if (layers < 1) throw new IllegalArgumentException("--layers must be >= 1, got " + layers);
    KernelMachineOptions.checkBandwidth(bandwidth);
    if (width < 1) throw new IllegalArgumentException("--width must be >= 1, got " + width);
    if (!(fourierBandwidth > 0) || Double.isInfinite(fourierBandwidth)) {
      throw new IllegalArgumentException("--fourier-bandwidth must be finite and > 0, got " + fourierBandwidth);
    }
    return DeepRfmOptions.defaults().withLayers(layers).withKernel(type).withBandwidth(bandwidth).withRidge(common.ridge)
        .withCenterGradients(common.center).withAgopSamples(common.agopSamples).withMap(mapType).withWidth(width)
        .withFourierBandwidth(fourierBandwidth).withSeed(common.seed);
  }

  /** Neural collapse compares class means: every class needs a sample. */
  private static void checkClasses(String option, int[] labels, int k) {
    int[] counts = new int[k];
    for (int y : labels) counts[y]++;
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) throw new IllegalArgumentException(option + ": class " + c + " of " + k + " has no training samples (NC1 needs every class)");
    }
  }

  private static int presentClasses(int[] labels, int k) {
    boolean[] seen = new boolean[k];
    int count = 0;
    for (int y : labels) if (!seen[y]) {
      seen[y] = true;
      count++;
    }
    return count;
  }

  private Map<String, Object> summary(KernelData d, DeepRfmResult r, DeepRfmOptions o, NeuralCollapse.Stats test, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "deep-rfm");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("data", data);
    config.put("test_data", d.testName());
    config.put("layers", o.layers());
    config.put("kernel", o.kernel().name().toLowerCase(Locale.ROOT));
    config.put("bandwidth", o.bandwidth());
    config.put("ridge", o.ridge());
    config.put("center", o.centerGradients());
    config.put("agop_samples", o.agopSamples());
    config.put("map", o.map() == RandomMapType.RELU ? "relu" : "laplace-fourier");
    config.put("width", o.width());
    if (o.map() == RandomMapType.LAPLACE_FOURIER) config.put("fourier_bandwidth", o.fourierBandwidth());
    common.putConfig(config, d);
    config.put("nc1", "tr(Sigma_W)/tr(Sigma_B); nc1_pinv = tr(Sigma_W Sigma_B^+)/K; nc2 = mean (M M^T - ETF)^2");
    m.put("config", config);
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("n_train", d.train().size());
    shape.put("n_test", d.test().size());
    shape.put("features", d.train().featureCount());
    shape.put("classes", d.train().numClasses());
    m.put("data", shape);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeepRfmLayer l : r.layers()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("layer", l.layer() + 1);
      row.put("input", stats(l.input()));
      row.put("projected", stats(l.projected()));
      row.put("mapped", stats(l.mapped()));
      row.put("seconds", l.seconds());
      rows.add(row);
    }
    m.put("layers", rows);
    if (test != null) m.put("test_final", stats(test));
    m.put("metric_file", "M.npz");
    m.put("seconds", seconds);
    return m;
  }

  private static Map<String, Object> stats(NeuralCollapse.Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nc1", s.nc1());
    m.put("nc1_pinv", s.nc1Pinv());
    m.put("nc2", s.nc2());
    return m;
  }
}
