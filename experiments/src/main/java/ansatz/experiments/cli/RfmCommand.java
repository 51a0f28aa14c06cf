package ansatz.experiments.cli;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.AtomicFiles;
import ansatz.autograd.io.Npz;
import ansatz.nn.io.Json;
import ansatz.nn.rfm.KernelType;
import ansatz.nn.rfm.Rfm;
import ansatz.nn.rfm.RfmIteration;
import ansatz.nn.rfm.RfmOptions;
import ansatz.nn.rfm.RfmResult;
import ansatz.nn.rfm.Scores;
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
 * {@code ansatz rfm}: fits a Recursive Feature Machine ({@link Rfm}) to one data set and writes
 * {@code summary.json} (train and test MSE, R^2 and, for class labels, accuracy after every fit)
 * and {@code M.npz} (the final feature matrix, key {@code M}) into {@code --out}. Exit codes: 0
 * done, 2 bad option or input (one line naming it).
 */
@Command(
    name = "rfm",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Fit a Recursive Feature Machine; write summary.json (scores per iteration) and M.npz (the learned M).",
      "Example: ansatz rfm --data synthetic:x1x2:d=100,n=2000,n-test=2000 --ridge 1e-4 --center --out runs/rfm"
    })
public final class RfmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "fashion-mnist[:DIR][:k=v,...] | synthetic:NAME[:k=v,...] | csv:PATH[:label=COL,...]")
  String data;

  @Option(names = "--bandwidth", paramLabel = "L", defaultValue = "10", description = "kernel bandwidth L (default ${DEFAULT-VALUE})")
  double bandwidth;

  @Option(names = "--iters", paramLabel = "T", defaultValue = "5", description = "number of M updates; a final refit follows (default ${DEFAULT-VALUE})")
  int iters;

  @Option(names = "--normalize", description = "divide each new M by its largest absolute entry")
  boolean normalize;

  @Option(names = "--diag", description = "keep only the diagonal of M")
  boolean diag;

  @Mixin KernelMachineOptions common;

  @Override
  public Integer call() throws Exception {
    RfmOptions options = options();
    common.applyThreads();
    KernelData d = KernelData.load(data, common.testData, common.seed);
    boolean classify = d.train().isClassification();
    options = options.withClassification(classify).withKeepHistory(false);
    Tensor xTrain = common.inputs(d.train().inputs()), yTrain = d.train().targets();
    Tensor xTest = d.hasTest() ? common.inputs(d.test().inputs()) : null, yTest = d.hasTest() ? d.test().targets() : null;

    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "rfm: %s, n = %d, d = %d, %d output%s%s; test %d samples%n", d.train().name(), d.train().size(),
        d.train().featureCount(), yTrain.size(1), yTrain.size(1) == 1 ? "" : "s", classify ? " (classes)" : "", d.test().size());
    w.flush();
    long t0 = System.nanoTime();
    RfmResult r;
    try {
      r = Rfm.fit(xTrain, yTrain, xTest, yTest, options);
    } catch (IllegalStateException e) {
      // e.g. K + lambda I not positive definite: a setting to change, not a crash
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    for (RfmIteration it : r.iterations()) w.println(line(it, r.iterations().size() - 1, classify));
    Path out = common.out;
    w.printf(Locale.ROOT, "%.2f s; outputs in %s%n", seconds, out);
    w.flush();

    Files.createDirectories(out);
    Npz.writeTensors(out.resolve("M.npz"), Map.of("M", r.metric()), false);
    AtomicFiles.writeString(out.resolve("summary.json"), Json.pretty(summary(d, r, options, classify, seconds)));
    return 0;
  }

  /** Checks the numeric options (one clear line each) and builds the RFM settings. */
  private RfmOptions options() {
    KernelType type = common.checkedKernel();
    KernelMachineOptions.checkBandwidth(bandwidth);
    if (iters < 0) throw new IllegalArgumentException("--iters must be >= 0, got " + iters);
    return RfmOptions.defaults().withKernel(type).withBandwidth(bandwidth).withRidge(common.ridge).withIterations(iters)
        .withCenterGradients(common.center).withNormalizeByMax(normalize).withDiagonalOnly(diag)
        .withAgopSamples(common.agopSamples).withSeed(common.seed);
  }

  private static String line(RfmIteration it, int last, boolean classify) {
    String which = it.iteration() == 0 ? "M = I" : "M_" + it.iteration();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %d (%s): train mse %.4g", it.iteration() == last ? "final fit" : "fit", it.iteration(), which, it.train().mse()));
    if (classify) sb.append(String.format(Locale.ROOT, ", train acc %.4f", it.train().accuracy()));
    if (!Double.isNaN(it.test().mse())) {
      sb.append(String.format(Locale.ROOT, "; test mse %.4g, test R^2 %.4f", it.test().mse(), it.test().r2()));
      if (classify) sb.append(String.format(Locale.ROOT, ", test acc %.4f", it.test().accuracy()));
    }
    return sb.append(String.format(Locale.ROOT, "  (%.2f s)", it.seconds())).toString();
  }

  private Map<String, Object> summary(KernelData d, RfmResult r, RfmOptions o, boolean classify, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "rfm");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("data", data);
    config.put("test_data", d.testName());
    config.put("kernel", o.kernel().name().toLowerCase(Locale.ROOT));
    config.put("bandwidth", o.bandwidth());
    config.put("ridge", o.ridge());
    config.put("iters", o.iterations());
    config.put("center", o.centerGradients());
    config.put("normalize", o.normalizeByMax());
    config.put("diag", o.diagonalOnly());
    config.put("agop_samples", o.agopSamples());
    common.putConfig(config, d);
    m.put("config", config);
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("n_train", d.train().size());
    shape.put("n_test", d.test().size());
    shape.put("features", d.train().featureCount());
    shape.put("outputs", d.train().targets().size(1));
    shape.put("classification", classify);
    m.put("data", shape);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RfmIteration it : r.iterations()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", it.iteration());
      scores(row, "train", it.train(), classify);
      if (d.hasTest()) scores(row, "test", it.test(), classify);
      row.put("seconds", it.seconds());
      rows.add(row);
    }
    m.put("iterations", rows);
    m.put("final", rows.get(rows.size() - 1));
    m.put("metric_file", "M.npz");
    m.put("seconds", seconds);
    return m;
  }

  private static void scores(Map<String, Object> row, String prefix, Scores s, boolean classify) {
    row.put(prefix + "_mse", s.mse());
    row.put(prefix + "_r2", s.r2());
    if (classify) row.put(prefix + "_accuracy", s.accuracy());
  }
}
