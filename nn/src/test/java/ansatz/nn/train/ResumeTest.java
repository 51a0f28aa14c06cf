package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.data.Split;
import ansatz.nn.optim.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: the file round trip, and resuming gives bitwise the numbers of an uninterrupted run. */
class ResumeTest {
  @TempDir Path tmp;

  /** Momentum SGD, a per-step cosine schedule and a shuffling loader: every kind of state matters. */
  private static Trainer.Builder setup(long seed, Split data) {
    return Fixture.classifier(seed, data).schedule(Schedule.cosine(40, 0.001), Trainer.ScheduleUnit.STEP);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static void assertSameWeights(Module expected, Module actual) {
    Map<String, Tensor> e = expected.stateDict(), a = actual.stateDict();
    assertEquals(e.keySet(), a.keySet());
    for (String k : e.keySet()) assertArrayEquals(e.get(k).toFloatArray(), a.get(k).toFloatArray(), k + " differs");
  }

  @Test
  void oneEpochThenResumeEqualsTwoEpochsBitwise() throws Exception {
    Split data = Fixture.quadrant();
    Trainer.Builder straightB = setup(7, data).epochs(2).outDir(tmp.resolve("straight"));
    Module straightModel = modelOf(straightB);
    TrainResult straight = straightB.build().run();

    Path dir = tmp.resolve("resumed");
    TrainResult first = setup(7, data).epochs(1).outDir(dir).build().run();
    // A different seed for the fresh model and loader: everything must come from the checkpoint.
    Trainer.Builder secondB = setup(99, data).epochs(2).outDir(dir).resumeFrom(dir.resolve(Checkpoint.FILE_NAME));
    Module resumedModel = modelOf(secondB);
    TrainResult second = secondB.build().run();

    assertEquals(8, first.steps());
    assertEquals(8, second.firstStep());
    assertEquals(16, second.steps());
    assertArrayEquals(straight.stepLosses(), concat(first.stepLosses(), second.stepLosses()), "loss sequence");
    assertSameWeights(straightModel, resumedModel);
    assertEquals(straight.finalMetrics(), second.finalMetrics());

    // metrics.jsonl of the resumed run reads as one run: the same rows apart from timings.
    List<Map<String, Object>> a = Fixture.jsonLines(tmp.resolve("straight").resolve(MetricsLog.FILE_NAME));
    List<Map<String, Object>> b = Fixture.jsonLines(dir.resolve(MetricsLog.FILE_NAME));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) assertEquals(withoutTimes(a.get(i)), withoutTimes(b.get(i)), "metrics row " + i);
    Map<String, Object> summary = Fixture.jsonFile(dir.resolve("summary.json"));
    assertEquals("finished", summary.get("status"));
    assertEquals(8.0, summary.get("resumed_at_step"));
    assertEquals(2, ((List<?>) summary.get("epoch_seconds")).size(), "epoch times of both parts");
  }

  @Test
  void stopMidEpochThenResumeEqualsAnUninterruptedRunBitwise() throws Exception {
    Split data = Fixture.quadrant();
    Trainer.Builder straightB = setup(3, data).epochs(2);
    Module straightModel = modelOf(straightB);
    TrainResult straight = straightB.build().run();

    Path dir = tmp.resolve("mid");
    TrainResult first = setup(3, data).maxSteps(5).outDir(dir).build().run();
    Checkpoint c = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME));
    assertEquals(5, c.step());
    assertEquals(5, c.batchInEpoch());
    Trainer.Builder secondB = setup(3, data).epochs(2).outDir(dir).resumeFrom(dir.resolve(Checkpoint.FILE_NAME));
    Module resumedModel = modelOf(secondB);
    TrainResult second = secondB.build().run();

    assertArrayEquals(straight.stepLosses(), concat(first.stepLosses(), second.stepLosses()));
    assertArrayEquals(straight.epochTrainLosses(), second.epochTrainLosses(), "epoch means include the steps before the stop");
    assertSameWeights(straightModel, resumedModel);
  }

  @Test
  void resumingAFinishedRunTrainsNoFurther() throws Exception {
    Path dir = tmp.resolve("done");
    setup(1, Fixture.quadrant()).epochs(1).outDir(dir).build().run();
    TrainResult again = setup(1, Fixture.quadrant()).epochs(1).outDir(dir).resumeFrom(dir.resolve(Checkpoint.FILE_NAME)).build().run();
    assertEquals(TrainStatus.FINISHED, again.status());
    assertEquals(0, again.stepLosses().length);
    assertEquals(8, again.steps());
  }

  @Test
  void checkpointFileRoundTrip() throws Exception {
    Path dir = tmp.resolve("rt");
    Trainer.Builder b = setup(2, Fixture.quadrant()).maxSteps(11).outDir(dir);
    Module model = modelOf(b);
    b.build().run();
    Checkpoint c = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME));
    assertEquals(11, c.step());
    assertEquals(1, c.epoch());
    assertEquals(3, c.batchInEpoch());
    assertEquals(11, c.schedulerTime());
    assertEquals(3 * 32, c.epochSeen());
    assertEquals(1, c.epochSeconds().length);
    assertTrue(c.rngs().containsKey("loader"));
    assertEquals(6, c.optimizer().keySet().stream().filter(k -> k.endsWith("momentum_buffer")).count(), c.optimizer().keySet().toString());
    Map<String, Tensor> live = model.stateDict();
    for (String k : live.keySet()) assertArrayEquals(live.get(k).toFloatArray(), c.model().get(k).toFloatArray(), k);

    Path copy = tmp.resolve("copy.npz");
    c.write(copy);
    Checkpoint d = Checkpoint.read(copy);
    assertEquals(c.step(), d.step());
    assertEquals(c.batchInEpoch(), d.batchInEpoch());
    assertEquals(c.epochLossSum(), d.epochLossSum());
    assertArrayEquals(c.rngs().get("loader"), d.rngs().get("loader"));
    assertArrayEquals(c.epochSeconds(), d.epochSeconds());
    assertEquals(c.lastFiniteLoss(), d.lastFiniteLoss());
    assertArrayEquals(Files.readAllBytes(dir.resolve(Checkpoint.FILE_NAME)), Files.readAllBytes(copy), "same content, same bytes");
  }

  @Test
  void aCheckpointOfAnotherModelIsRejectedClearly() throws Exception {
    Path dir = tmp.resolve("other");
    setup(1, Fixture.quadrant()).maxSteps(2).outDir(dir).build().run();
    Split reg = Fixture.x1x2();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Fixture.regressor(0, reg, 0.1).epochs(1).resumeFrom(dir.resolve(Checkpoint.FILE_NAME)).build().run());
    assertTrue(e.getMessage().contains("does not fit this model"), e.getMessage());
    assertThrows(IOException.class, () -> Fixture.regressor(0, reg, 0.1).epochs(1).resumeFrom(tmp.resolve("missing.npz")).build().run());
  }

  private static Map<String, Object> withoutTimes(Map<String, Object> row) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(row);
    for (String k : List.of("time", "epoch_seconds", "eval_seconds", "samples_per_second")) m.remove(k);
    return m;
  }

  /** The model a builder was given (through a throwaway build, which does not train). */
  private static Module modelOf(Trainer.Builder b) {
    return b.build().model();
  }
}
