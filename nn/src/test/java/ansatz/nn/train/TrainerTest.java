package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.optim.ParamGroup;
import ansatz.nn.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path tmp;

  @Test
  void classifierLearnsTheQuadrantTask() throws Exception {
    TrainResult r = Fixture.classifier(1, Fixture.quadrant()).epochs(12).build().run();
    assertEquals(TrainStatus.FINISHED, r.status());
    assertEquals(12 * 8, r.steps());
    assertEquals(12, r.epochTrainLosses().length);
    double first = r.epochTrainLosses()[0], last = r.epochTrainLosses()[11];
    assertTrue(last < 0.5 * first, "epoch train loss " + first + " -> " + last);
    assertTrue(r.finalMetrics().get("test_accuracy") > 0.8, "test accuracy " + r.finalMetrics());
    assertTrue(r.finalMetrics().get("test_loss") < first, "test loss " + r.finalMetrics());
  }

  @Test
  void regressionLossFalls() throws Exception {
    TrainResult r = Fixture.regressor(2, Fixture.x1x2(), 0.05).epochs(15).build().run();
    double[] e = r.epochTrainLosses();
    assertTrue(e[e.length - 1] < 0.7 * e[0], "epoch train loss " + e[0] + " -> " + e[e.length - 1]);
    assertFalse(r.finalMetrics().containsKey("test_accuracy"), "no accuracy for regression: " + r.finalMetrics());
    assertTrue(Double.isFinite(r.finalMetrics().get("test_loss")));
  }

  @Test
  void epochTrainLossIsTheMeanOfItsStepLosses() throws Exception {
    TrainResult r = Fixture.classifier(5, Fixture.quadrant()).epochs(2).build().run();
    double[] s = r.stepLosses();
    assertEquals(16, s.length);
    for (int e = 0; e < 2; e++) {
      double sum = 0;
      for (int i = 0; i < 8; i++) sum += s[e * 8 + i];
      assertEquals(sum / 8, r.epochTrainLosses()[e], 1e-12);
    }
  }

  /** Records every call with the listener's name. */
  private static final class Recorder implements TrainListener {
    final String name;
    final List<String> log;
    final long stopAtStep;
    final boolean stopAtEpochEnd;

    Recorder(String name, List<String> log, long stopAtStep, boolean stopAtEpochEnd) {
      this.name = name;
      this.log = log;
      this.stopAtStep = stopAtStep;
      this.stopAtEpochEnd = stopAtEpochEnd;
    }

    @Override
    public void onTrainStart(TrainState s) {
      log.add(name + ":start@" + s.step());
    }

    @Override
    public void onStepEnd(TrainState s) {
      log.add(name + ":step" + s.step());
      if (s.step() == stopAtStep) s.requestStop(name + " had enough");
    }

    @Override
    public void onEpochEnd(TrainState s) {
      log.add(name + ":epoch" + s.epoch() + (s.lastEvaluation().containsKey("test_accuracy") ? "+eval" : ""));
      if (stopAtEpochEnd) s.requestStop(name + " stops at the epoch end");
    }

    @Override
    public void onTrainEnd(TrainState s) {
      log.add(name + ":end@" + s.step());
    }
  }

  @Test
  void listenersRunInRegistrationOrderAndOneCanStopTraining() throws Exception {
    List<String> log = new ArrayList<>();
    TrainResult r = Fixture.classifier(1, Fixture.quadrant()).epochs(3)
        .listener(new Recorder("A", log, -1, false))
        .listener(new Recorder("B", log, 10, false))
        .build().run();
    assertEquals(TrainStatus.STOPPED, r.status());
    assertEquals("B had enough", r.stopReason());
    assertEquals(10, r.steps(), "stops right after the step at which it was asked to");
    List<String> expected = new ArrayList<>(List.of("A:start@0", "B:start@0"));
    for (int s = 1; s <= 10; s++) {
      expected.add("A:step" + s);
      expected.add("B:step" + s);
      if (s == 8) expected.addAll(List.of("A:epoch1+eval", "B:epoch1+eval"));
    }
    expected.addAll(List.of("A:end@10", "B:end@10"));
    assertEquals(expected, log);
  }

  @Test
  void aListenerCanStopAtAnEpochEnd() throws Exception {
    List<String> log = new ArrayList<>();
    TrainResult r = Fixture.classifier(1, Fixture.quadrant()).epochs(5)
        .listener(new Recorder("A", log, -1, true)).build().run();
    assertEquals(TrainStatus.STOPPED, r.status());
    assertEquals(8, r.steps());
    assertEquals(1, r.epochs());
    assertEquals("A:end@8", log.get(log.size() - 1));
  }

  @Test
  void maxStepsStopsInsideAnEpochAndStillEvaluates() throws Exception {
    TrainResult r = Fixture.classifier(1, Fixture.quadrant()).maxSteps(13).build().run();
    assertEquals(TrainStatus.FINISHED, r.status());
    assertEquals(13, r.steps());
    assertEquals(1, r.epochs());
    assertTrue(r.finalMetrics().containsKey("test_accuracy"), "final evaluation: " + r.finalMetrics());
  }

  @Test
  void configurationErrorsAreClear() {
    Split reg = Fixture.x1x2();
    Module m = Fixture.mlp(6, 1, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().model(m)
        .loss(new CrossEntropyLoss()).optimizer(new ansatz.nn.optim.SGD(m.parameters(), 0.1))
        .train(DataLoader.fullBatch(reg.train())).epochs(1).build());
    assertTrue(e.getMessage().contains("cross-entropy needs class labels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().model(m).epochs(1).build());
    assertTrue(e.getMessage().contains("missing loss, optimizer, train"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Fixture.regressor(0, reg, 0.1).build());
    assertTrue(e.getMessage().contains("epochs or maxSteps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Fixture.regressor(0, reg, 0.1).test(Fixture.quadrant().test()).epochs(1).build());
    assertTrue(e.getMessage().contains("do not match training inputs"), e.getMessage());
  }

  @Test
  void aTrainerRunsOnce() throws Exception {
    Trainer t = Fixture.regressor(0, Fixture.x1x2(), 0.01).maxSteps(1).build();
    t.run();
    assertThrows(IllegalStateException.class, t::run);
  }

  @Test
  void nonFiniteParameterScanFindsNaNAndInfinity() {
    Module m = Fixture.mlp(3, 2, 0);
    assertNull(Trainer.nonFiniteParameter(m));
    List<Map.Entry<String, Parameter>> params = new ArrayList<>(m.namedParameters().entrySet());
    Tensor w = params.get(2).getValue().tensor();
    w.storage().f[w.numel() - 1] = Float.NaN;
    assertEquals(params.get(2).getKey(), Trainer.nonFiniteParameter(m));
    w.storage().f[w.numel() - 1] = 0;
    Tensor b = params.get(5).getValue().tensor();
    b.storage().f[0] = Float.NEGATIVE_INFINITY;
    assertEquals(params.get(5).getKey(), Trainer.nonFiniteParameter(m));
    b.storage().f[0] = Float.MAX_VALUE; // large but finite
    assertNull(Trainer.nonFiniteParameter(m));
  }

  @Test
  void aFailingListenerLeavesAFailedSummaryAndPropagates() throws Exception {
    Path dir = tmp.resolve("fail");
    TrainListener bomb = new TrainListener() {
      @Override
      public void onStepEnd(TrainState s) {
        if (s.step() == 3) throw new IllegalStateException("probe broke");
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Fixture.classifier(1, Fixture.quadrant()).epochs(2).outDir(dir).listener(bomb).build().run());
    assertEquals("probe broke", e.getMessage());
    Map<String, Object> summary = Fixture.jsonFile(dir.resolve("summary.json"));
    assertEquals("failed", summary.get("status"));
    assertTrue(((String) summary.get("stop_reason")).contains("probe broke"));
  }

  @Test
  void listenerRowsGoToTheMetricsFileWithStepAndEpoch() throws Exception {
    Path dir = tmp.resolve("log");
    TrainListener probe = new TrainListener() {
      @Override
      public void onEpochEnd(TrainState s) {
        s.log(Map.of("type", "probe", "nfa", 0.5, "test_acc_seen", s.lastEvaluation().get("test_accuracy")));
      }
    };
    Fixture.classifier(1, Fixture.quadrant()).epochs(2).outDir(dir).logEverySteps(4).listener(probe).build().run();
    List<Map<String, Object>> rows = Fixture.jsonLines(dir.resolve(MetricsLog.FILE_NAME));
    List<String> types = rows.stream().map(r -> (String) r.get("type")).toList();
    assertEquals(List.of("step", "step", "epoch", "probe", "step", "step", "epoch", "probe"), types);
    Map<String, Object> probeRow = rows.get(3);
    assertEquals(8.0, probeRow.get("step"));
    assertEquals(1.0, probeRow.get("epoch"));
    assertEquals(rows.get(2).get("test_accuracy"), probeRow.get("test_acc_seen"));
    for (Map<String, Object> r : rows) {
      if (r.get("type").equals("epoch")) {
        for (String k : List.of("step", "epoch", "loss", "lr", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "epoch_seconds", "time")) {
          assertTrue(r.containsKey(k), "epoch row lacks " + k + ": " + r);
        }
      }
    }
  }

  /** SGD that writes an infinity into the first parameter at its {@code badStep}-th update. */
  private static final class BreakingSgd extends Optimizer {
    private final int badStep;
    private int updates;

    BreakingSgd(List<Parameter> params, int badStep) {
      super(List.of(new ParamGroup("all", params, 0.01)));
      this.badStep = badStep;
    }

    @Override
    protected void update() {
      updates++;
      for (Parameter p : parameters()) p.tensor().addInPlace(p.grad(), -lr());
      if (updates == badStep) parameters().get(0).tensor().storage().f[0] = Float.POSITIVE_INFINITY;
    }
  }

  @Test
  void aNonFiniteParameterAfterAnUpdateIsDivergence() throws Exception {
    Module model = Fixture.mlp(6, 1, 0);
    Split data = Fixture.x1x2();
    TrainResult r = Trainer.builder().model(model).loss(ansatz.nn.loss.MSELoss.mean())
        .optimizer(new BreakingSgd(model.parameters(), 3))
        .train(new DataLoader(data.train(), 16, true, false, new Rng(0))).epochs(2).build().run();
    assertTrue(r.diverged());
    assertEquals(3, r.divergedAtStep());
    assertEquals(2, r.steps());
    assertEquals(2, r.stepLosses().length);
    assertTrue(Double.isFinite(r.lastFiniteLoss()));
    assertTrue(r.stopReason().contains("parameter '0.weight'"), r.stopReason());
  }
}
