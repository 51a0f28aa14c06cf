package ansatz.experiments.claims;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.experiments.BaseExperiment;
import ansatz.experiments.Claim;
import ansatz.experiments.ExperimentResult;
import ansatz.instrument.CatapultDetector;
import ansatz.instrument.agop.PredictorAgop;
import ansatz.instrument.chart.ChartFiles;
import ansatz.instrument.chart.Charts;
import ansatz.instrument.math.Correlation;
import ansatz.instrument.ntk.CriticalRate;
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
import java.util.Arrays;
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
 * DEFINITIONS.md claim 9: SGD at one fixed large learning rate, with the batch size swept. Smaller
 * batches give more catapults (loss spikes), a model AGOP better aligned with the true AGOP
 * G_* = diag(1, 1, 0, ...) of f*(x) = x1 x2, and a lower test loss. Everything else (data, init,
 * number of steps, learning rate) is the same across batch sizes; results are averaged over seeds.
 */
@Command(name = "catapult-sgd", description = "SGD at a fixed large rate, batch size swept: catapults, AGOP alignment with the true AGOP, test loss")
public final class CatapultSgd extends BaseExperiment {
  @Option(names = "--d", description = "input dimension (default ${DEFAULT-VALUE})")
  int d = 10;

  @Option(names = "--n", description = "training samples (default ${DEFAULT-VALUE})")
  int n = 256;

  @Option(names = "--n-test", description = "test samples (default ${DEFAULT-VALUE})")
  int nTest = 2000;

  @Option(names = "--width", description = "hidden width (default ${DEFAULT-VALUE})")
  int width = 256;

  @Option(names = "--steps", description = "SGD steps for every batch size (default ${DEFAULT-VALUE})")
  int steps = 1500;

  @Option(names = "--batches", split = ",", description = "batch sizes (default ${DEFAULT-VALUE})")
  int[] batches = {8, 32, 128, 256};

  @Option(names = "--lr-multiple", description = "learning rate in units of 2/lambda_0 of the full training set (default ${DEFAULT-VALUE})")
  double lrMultiple = 0.8;

  @Option(names = "--seeds", description = "number of seeds averaged (default ${DEFAULT-VALUE})")
  int seeds = 2;

  @Override
  protected ExperimentResult execute(Path dir) throws Exception {
    int[] bs = batches.clone();
    Arrays.sort(bs);
    double[] catapults = new double[bs.length], alignment = new double[bs.length], testLoss = new double[bs.length];
    int[] diverged = new int[bs.length];
    StringBuilder jsonl = new StringBuilder();
    long[] exampleSteps = null;
    double[] exampleLoss = null;
    List<CatapultDetector.Event> exampleEvents = null;
    double lr = Double.NaN;
    for (int s = 0; s < seeds; s++) {
      long runSeed = seed * 1000 + s;
      Split data = Synthetic.builder("x1x2").d(d).n(n).nTest(nTest).seed(runSeed).build();
      Dataset train = data.train(), test = data.test();
      Tensor gStar = train.trueAgop().orElseThrow();
      long modelSeed = new Rng(runSeed + 17).nextLong();
      double lambda0 = CriticalRate.measure(model(modelSeed), train.inputs()).lambdaMax();
      lr = lrMultiple * 2 / lambda0;
      for (int i = 0; i < bs.length; i++) {
        Sequential model = model(modelSeed);
        CatapultDetector det = new CatapultDetector();
        TrainListener count = new TrainListener() {
          @Override
          public void onStepEnd(TrainState st) {
            det.observe(st.step(), st.lastLoss());
          }
        };
        TrainResult tr = Trainer.builder().model(model).loss(MSELoss.halfSumOverBatch()).optimizer(new SGD(model.parameters(), lr))
            .train(new DataLoader(train, Math.min(bs[i], train.size()), true, true, new Rng(runSeed + 31)))
            .maxSteps(steps).listener(count).progress(Progress.off()).build().run();
        double align = Double.NaN, tl = Double.NaN;
        if (!tr.diverged()) {
          Tensor g = PredictorAgop.ofModel(model, test.inputs(), 500, false);
          align = Correlation.COSINE.of(g, gStar);
          try (Grad.Scope off = Grad.disabled()) {
            tl = MSELoss.halfSumOverBatch().apply(model.call(test.inputs()), test.targets()).item();
          }
        } else {
          diverged[i]++;
        }
        catapults[i] += det.events().size() / (double) seeds;
        alignment[i] += align / seeds;
        testLoss[i] += tl / seeds;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("seed", runSeed);
        row.put("batch", bs[i]);
        row.put("lr", lr);
        row.put("catapults", det.events().size());
        row.put("agop_alignment_cosine", align);
        row.put("test_loss", tl);
        row.put("diverged", tr.diverged());
        jsonl.append(Json.write(row)).append('\n');
        if (s == 0 && i == 0) {
          double[] l = tr.stepLosses();
          exampleSteps = new long[l.length];
          for (int k = 0; k < l.length; k++) exampleSteps[k] = k + 1;
          exampleLoss = l;
          exampleEvents = det.events();
        }
      }
    }
    Files.writeString(dir.resolve("metrics.jsonl"), jsonl);
    for (int i = 0; i < bs.length; i++) {
      System.out.printf(Locale.ROOT, "  batch %4d: catapults %.1f, alignment %.3f, test loss %.4g%s%n", bs[i], catapults[i], alignment[i], testLoss[i],
          diverged[i] > 0 ? " (" + diverged[i] + " diverged)" : "");
    }
    int lo = 0, hi = bs.length - 1;
    ExperimentResult r = new ExperimentResult(name())
        .config("task", "synthetic x1x2").config("d", d).config("n", n).config("n_test", nTest).config("width", width)
        .config("model", "2-layer ReLU, NTK parameterization, no bias").config("loss", "(1/2b) sum over the batch")
        .config("steps", steps).config("lr_multiple_of_2/lambda_0", lrMultiple).config("batches", bs).config("seeds", seeds)
        .config("alignment", "cosine(AGOP of the trained net on the test inputs, G_* = diag(1,1,0,...))");
    r.claim(Claim.greater("catapult-sgd.more-catapults", "smaller batches give more catapults",
        "catapults at batch " + bs[lo], catapults[lo], "at batch " + bs[hi], catapults[hi]));
    r.claim(Claim.greater("catapult-sgd.better-alignment", "smaller batches give higher AGOP alignment with the true AGOP",
        "alignment at batch " + bs[lo], alignment[lo], "at batch " + bs[hi], alignment[hi]));
    r.claim(Claim.greater("catapult-sgd.lower-test-loss", "smaller batches give lower test loss",
        "test loss at batch " + bs[hi], testLoss[hi], "at batch " + bs[lo], testLoss[lo]));
    XYChart chart = new XYChartBuilder().width(720).height(480).title("SGD at " + lrMultiple + " x 2/lambda_0: batch size sweep")
        .xAxisTitle("batch size (log)").yAxisTitle("value").build();
    chart.getStyler().setXAxisLogarithmic(true);
    double[] xb = Arrays.stream(bs).asDoubleStream().toArray();
    chart.addSeries("AGOP alignment (cosine)", xb, alignment).setMarker(SeriesMarkers.CIRCLE);
    double maxCat = Arrays.stream(catapults).max().orElse(1);
    chart.addSeries("catapults / " + Claim.fmt(Math.max(maxCat, 1)), xb, Arrays.stream(catapults).map(c -> c / Math.max(maxCat, 1)).toArray()).setMarker(SeriesMarkers.SQUARE);
    r.chart(dir.relativize(ChartFiles.save(chart, dir, "batch-sweep").png()));
    if (exampleSteps != null && exampleSteps.length > 0) {
      r.chart(dir.relativize(ChartFiles.save(Charts.loss("Training loss, batch " + bs[0], exampleSteps, exampleLoss, exampleEvents), dir, "loss-small-batch").png()));
    }
    r.note("The rate is below the full-batch critical rate, so full-batch GD stays lazy while small batches, whose "
        + "mini-batch NTK has a larger top eigenvalue, catapult (the setting of the SGD-catapult paper). A first run at "
        + "1.5 x 2/lambda_0 diverged for batches 8 and 32 (no measurement possible), so the default rate was lowered; "
        + "the claims' tests were not changed.");
    r.note(String.format(Locale.ROOT, "test loss by batch %s: %s", Arrays.toString(bs), Arrays.toString(Arrays.stream(testLoss).mapToObj(Claim::fmt).toArray())));
    return r;
  }

  private Sequential model(long modelSeed) {
    return Models.ntkMlp(new int[] {d, width, 1}, Activation.RELU, false, new Rng(modelSeed));
  }
}
