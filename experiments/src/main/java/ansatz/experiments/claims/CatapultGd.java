package ansatz.experiments.claims;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.CatapultDetector;
import ansatz.instrument.chart.ChartFiles;
import ansatz.instrument.chart.Charts;
import ansatz.instrument.ntk.CriticalRate;
import ansatz.instrument.ntk.EmpiricalNtk;
import ansatz.instrument.ntk.ResidualSplit;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.io.Json;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Progress;
import ansatz.nn.train.TrainListener;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.TrainState;
import ansatz.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DEFINITIONS.md claim 8: a two-layer ReLU network in NTK parameterization trained by full-batch
 * gradient descent on the (1/2n) sum loss has three phases in the learning rate, measured in units
 * of 2/lambda_0: below 1 the loss falls monotonically (lazy); between 1 and about 2 it spikes (a
 * catapult), lambda_max of the NTK drops below 2/eta and the loss then converges; above that it
 * diverges. Also records how the residual splits between the top NTK eigenspace and the rest at the
 * spike's peak.
 */
@Command(name = "catapult-gd", description = "two-layer NTK ReLU net, full-batch GD, learning rate swept in units of 2/lambda_0: lazy, catapult, divergent phases")
public final class CatapultGd extends BaseExperiment {
  @Option(names = "--d", description = "input dimension (default ${DEFAULT-VALUE})")
  int d = 10;

  @Option(names = "--n", description = "training samples (default ${DEFAULT-VALUE})")
  int n = 128;

  @Option(names = "--width", description = "hidden width (default ${DEFAULT-VALUE})")
  int width = 512;

  @Option(names = "--steps", description = "GD steps per learning rate (default ${DEFAULT-VALUE})")
  int steps = 300;

  @Option(names = "--multiples", split = ",", description = "learning rates in units of 2/lambda_0 (default ${DEFAULT-VALUE})")
  double[] multiples = {0.5, 0.8, 1.2, 1.5, 1.8, 2.5};

  @Option(names = "--lambda-every", description = "measure lambda_max every K steps (default ${DEFAULT-VALUE})")
  int lambdaEvery = 10;

  /** One learning rate's outcome. */
  record Run(double multiple, double lr, double initialLoss, double peakLoss, double finalLoss, boolean diverged,
      int catapults, double lambdaFinal, boolean monotone, long[] steps, double[] losses, List<CatapultDetector.Event> events,
      long[] lambdaSteps, double[] lambdas, double topFractionInit, double topFractionPeak) {}

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    Split data = Synthetic.builder("x1x2").d(d).n(n).nTest(n).seed(seed).build();
    Dataset train = data.train();
    Rng initRng = new Rng(seed + 1);
    long modelSeed = initRng.nextLong();
    double lambda0 = CriticalRate.measure(newModel(modelSeed), train.inputs()).lambdaMax();
    double crit = 2 / lambda0;
    List<Run> runs = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (double m : multiples) {
      Run r = runAt(m, m * crit, modelSeed, train);
      runs.add(r);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("lr_multiple", m);
      row.put("lr", r.lr());
      row.put("initial_loss", r.initialLoss());
      row.put("peak_over_initial", r.peakLoss() / r.initialLoss());
      row.put("final_loss", r.finalLoss());
      row.put("diverged", r.diverged());
      row.put("catapults", r.catapults());
      row.put("lambda_final", r.lambdaFinal());
      row.put("two_over_eta", 2 / r.lr());
      row.put("residual_top1_fraction_init", r.topFractionInit());
      row.put("residual_top1_fraction_at_peak", r.topFractionPeak());
      jsonl.append(Json.write(row)).append('\n');
      System.out.printf(Locale.ROOT, "  eta = %.2f x 2/lambda0: peak/initial %.3g, final %.3g, catapults %d, lambda_final %.4g vs 2/eta %.4g%s%n",
          m, r.peakLoss() / r.initialLoss(), r.finalLoss(), r.catapults(), r.lambdaFinal(), 2 / r.lr(), r.diverged() ? " (diverged)" : "");
    }
    Files.writeString(dir.resolve("metrics.jsonl"), jsonl);

    ExperimentResult res = new ExperimentResult(name())
        .config("task", "synthetic x1x2").config("d", d).config("n", n).config("width", width)
        .config("model", "2-layer ReLU, NTK parameterization, no bias").config("loss", "(1/2n) sum ||f - y||^2")
        .config("steps", steps).config("lambda_0", lambda0).config("2/lambda_0", crit);
    List<Run> lazy = runs.stream().filter(r -> r.multiple() < 1).toList();
    List<Run> cat = runs.stream().filter(r -> r.multiple() > 1 && r.multiple() < 2).toList();
    List<Run> above = runs.stream().filter(r -> r.multiple() > 2).toList();
    if (!lazy.isEmpty()) {
      boolean ok = lazy.stream().allMatch(r -> r.catapults() == 0 && !r.diverged() && r.finalLoss() < r.initialLoss());
      res.claim(Claim.check("catapult-gd.lazy", "below 2/lambda_0 there is no spike and the loss falls",
          "0 catapults, final < initial at every rate < 1x", describe(lazy), ok));
    }
    if (!cat.isEmpty()) {
      boolean ok = cat.stream().allMatch(r -> !r.diverged() && r.catapults() >= 1 && r.finalLoss() < r.initialLoss());
      res.claim(Claim.check("catapult-gd.spike-then-converge", "between 2/lambda_0 and ~4/lambda_0 the loss spikes, then converges",
          ">= 1 catapult and final < initial at every rate in (1x, 2x)", describe(cat), ok));
      double maxRatio = cat.stream().mapToDouble(r -> r.peakLoss() / r.initialLoss()).max().orElse(Double.NaN);
      res.claim(Claim.atLeast("catapult-gd.spike-size", "the spike reaches 10x to 100x+ the initial loss (max over the catapult rates)", 10, maxRatio));
      boolean below = cat.stream().allMatch(r -> r.lambdaFinal() < 2 / r.lr());
      res.claim(Claim.check("catapult-gd.lambda-drops", "after the catapult lambda_max < 2/eta",
          "lambda_final < 2/eta at every rate in (1x, 2x)", cat.stream().map(r -> String.format(Locale.ROOT, "%.3g<%.3g", r.lambdaFinal(), 2 / r.lr())).toList().toString(), below));
      Run first = cat.get(0);
      if (!Double.isNaN(first.topFractionPeak())) {
        res.claim(Claim.greater("catapult-gd.top-eigenspace", "at the spike's peak the residual concentrates in the top NTK eigendirection",
            "top-1 fraction at peak", first.topFractionPeak(), "at init", first.topFractionInit()));
      }
    }
    if (!above.isEmpty()) {
      boolean ok = above.stream().allMatch(r -> r.diverged() || !(r.finalLoss() < 1e3 * r.initialLoss()));
      res.claim(Claim.check("catapult-gd.diverge", "well above the catapult range training diverges",
          "diverged (non-finite or > 1000x initial) at every rate > 2x", describe(above), ok));
    }
    charts(dir, res, runs, cat.isEmpty() ? null : cat.get(0));
    return res;
  }

  private static String describe(List<Run> runs) {
    return runs.stream().map(r -> String.format(Locale.ROOT, "%.1fx: peak/init %.3g, final/init %.3g, %d cat%s", r.multiple(),
        r.peakLoss() / r.initialLoss(), r.finalLoss() / r.initialLoss(), r.catapults(), r.diverged() ? ", diverged" : "")).toList().toString();
  }

  private Sequential newModel(long modelSeed) {
    return Models.ntkMlp(new int[] {d, width, 1}, Activation.RELU, false, new Rng(modelSeed));
  }

  private Run runAt(double multiple, double lr, long modelSeed, Dataset train) throws Exception {
    Sequential model = newModel(modelSeed);
    CatapultDetector detector = new CatapultDetector();
    List<Long> lambdaSteps = new ArrayList<>();
    List<Double> lambdas = new ArrayList<>();
    double[] topInit = {Double.NaN};
    double[] peakTop = {Double.NaN};
    double[] peakLoss = {Double.NEGATIVE_INFINITY};
    TrainListener probe = new TrainListener() {
      @Override
      public void onTrainStart(TrainState s) {
        topInit[0] = ResidualSplit.measure(s.model(), train.inputs(), train.targets(), 1).topFraction();
        record(s, 0);
      }

      @Override
      public void onStepEnd(TrainState s) {
        double loss = s.lastLoss();
        double lambda = s.step() % lambdaEvery == 0 ? record(s, s.step()) : Double.NaN;
        detector.observe(s.step(), loss, lambda);
        // The residual split at the spike's peak: measured when a step sets a new in-spike maximum.
        if (detector.inSpike() && loss > peakLoss[0] && Double.isFinite(loss)) {
          peakLoss[0] = loss;
          peakTop[0] = ResidualSplit.measure(s.model(), train.inputs(), train.targets(), 1).topFraction();
        }
      }

      private double record(TrainState s, long step) {
        double l;
        try (Grad.Scope off = Grad.disabled()) {
          l = EmpiricalNtk.compute(s.model(), train.inputs()).lambdaMax();
        } catch (IllegalArgumentException | IllegalStateException e) {
          l = Double.NaN; // a diverged network has no finite NTK
        }
        lambdaSteps.add(step);
        lambdas.add(l);
        return l;
      }
    };
    Trainer trainer = Trainer.builder().model(model).loss(MSELoss.halfSumOverBatch())
        .optimizer(new SGD(model.parameters(), lr)).train(DataLoader.fullBatch(train))
        .maxSteps(steps).listener(probe).progress(Progress.off()).build();
    TrainResult tr = trainer.run();
    double[] losses = tr.stepLosses();
    double initial = losses.length > 0 ? losses[0] : Double.NaN;
    double peak = Double.NEGATIVE_INFINITY;
    boolean monotone = true;
    for (int i = 0; i < losses.length; i++) {
      if (Double.isFinite(losses[i])) peak = Math.max(peak, losses[i]);
      if (i > 0 && losses[i] > losses[i - 1]) monotone = false;
    }
    double fin = losses.length > 0 ? losses[losses.length - 1] : Double.NaN;
    long[] st = new long[losses.length];
    for (int i = 0; i < st.length; i++) st[i] = i + 1;
    double lambdaFinal = lambdas.isEmpty() ? Double.NaN : lambdas.get(lambdas.size() - 1);
    if (!tr.diverged()) {
      try (Grad.Scope off = Grad.disabled()) {
        lambdaFinal = EmpiricalNtk.compute(model, train.inputs()).lambdaMax();
      }
    }
    return new Run(multiple, lr, initial, peak, tr.diverged() ? Double.NaN : fin, tr.diverged(), detector.events().size(), lambdaFinal,
        monotone, st, losses, detector.events(), lambdaSteps.stream().mapToLong(Long::longValue).toArray(),
        lambdas.stream().mapToDouble(Double::doubleValue).toArray(), topInit[0], peakTop[0]);
  }

  private static void charts(Path dir, ExperimentResult res, List<Run> runs, Run example) {
    XYChart phase = new XYChartBuilder().width(720).height(480).title("Catapult phase diagram")
        .xAxisTitle("learning rate / (2/lambda_0)").yAxisTitle("peak loss / initial loss (log)").build();
    phase.getStyler().setYAxisLogarithmic(true);
    double[] x = runs.stream().filter(r -> r.peakLoss() / r.initialLoss() > 0 && Double.isFinite(r.peakLoss())).mapToDouble(Run::multiple).toArray();
    double[] y = runs.stream().filter(r -> r.peakLoss() / r.initialLoss() > 0 && Double.isFinite(r.peakLoss())).mapToDouble(r -> r.peakLoss() / r.initialLoss()).toArray();
    if (x.length > 0) {
      phase.addSeries("peak / initial", x, y).setMarker(SeriesMarkers.CIRCLE);
      res.chart(dir.relativize(ChartFiles.save(phase, dir, "phase-diagram").png()));
    }
    if (example != null) {
      res.chart(dir.relativize(ChartFiles.save(Charts.loss(String.format(Locale.ROOT, "Loss at eta = %.1f x 2/lambda_0", example.multiple()),
          example.steps(), example.losses(), example.events()), dir, "loss-catapult").png()));
      if (example.lambdaSteps().length > 1) {
        res.chart(dir.relativize(ChartFiles.save(Charts.lambdaMax(String.format(Locale.ROOT, "lambda_max at eta = %.1f x 2/lambda_0", example.multiple()),
            example.lambdaSteps(), example.lambdas(), example.lr()), dir, "lambda-max").png()));
      }
    }
  }
}
