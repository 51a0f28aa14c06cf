package ansatz.nn.train;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.data.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivergenceTest {
  @TempDir Path tmp;

  @Test
  void aHugeLearningRateStopsCleanlyAndKeepsTheLastGoodCheckpoint() throws Exception {
    Split data = Fixture.x1x2();
    Path dir = tmp.resolve("run");
    // A sane rate for the first epoch (which ends with a checkpoint), then a million times larger.
    Trainer.Builder b = Fixture.regressor(0, data, 0.01)
        .schedule((base, t) -> t < 1 ? base : base * 1e6, Trainer.ScheduleUnit.EPOCH)
        .epochs(5).outDir(dir).logEverySteps(1);
    TrainResult r = b.build().run();

    assertTrue(r.diverged());
    assertEquals(TrainStatus.DIVERGED, r.status());
    long at = r.divergedAtStep();
    assertTrue(at > 8 && at <= 16, "diverges in the second epoch (8 steps per epoch), at step " + at);
    assertEquals(at - 1, r.steps());
    double lastFinite = r.stepLosses()[r.stepLosses().length - 1];
    assertEquals(lastFinite, r.lastFiniteLoss());
    assertTrue(Double.isFinite(lastFinite));
    assertTrue(r.stopReason().contains("step " + at), r.stopReason());

    // summary.json: valid JSON with the step and the last finite loss.
    Map<String, Object> summary = Fixture.jsonFile(dir.resolve("summary.json"));
    assertEquals("diverged", summary.get("status"));
    assertEquals((double) at, summary.get("diverged_at_step"));
    assertEquals(lastFinite, summary.get("last_finite_loss"));

    // metrics.jsonl: every line valid, the last one the divergence with its non-finite loss as a string.
    List<Map<String, Object>> rows = Fixture.jsonLines(dir.resolve(MetricsLog.FILE_NAME));
    Map<String, Object> last = rows.get(rows.size() - 1);
    assertEquals("diverged", last.get("type"));
    assertEquals((double) at, last.get("step"));
    Object loss = last.get("loss");
    assertTrue(loss instanceof String s && List.of("NaN", "Infinity", "-Infinity").contains(s)
        || loss instanceof Double d && Double.isFinite(d), "loss " + loss); // a parameter may overflow first
    assertEquals(lastFinite, last.get("last_finite_loss"));

    // The checkpoint is the one from the end of epoch 1: finite and loadable into a fresh model.
    assertEquals(r.checkpoint().orElseThrow(), dir.resolve(Checkpoint.FILE_NAME));
    Checkpoint c = Checkpoint.read(dir.resolve(Checkpoint.FILE_NAME));
    assertEquals(8, c.step());
    assertEquals(1, c.epoch());
    for (Map.Entry<String, Tensor> e : c.model().entrySet()) {
      for (float v : e.getValue().toFloatArray()) assertTrue(Float.isFinite(v), e.getKey() + " holds " + v);
    }
    Module fresh = Fixture.mlp(6, 1, 123);
    fresh.loadStateDict(c.model());
    assertNull(Trainer.nonFiniteParameter(fresh));
  }

  @Test
  void divergenceAtTheVeryFirstStepLeavesNoCheckpointButValidFiles() throws Exception {
    Path dir = tmp.resolve("first");
    TrainResult r = Fixture.regressor(0, Fixture.x1x2(), 1e30).epochs(2).outDir(dir).build().run();
    assertTrue(r.diverged());
    assertTrue(r.divergedAtStep() <= 2, "step " + r.divergedAtStep());
    assertTrue(r.checkpoint().isEmpty(), "no good checkpoint exists");
    assertEquals("diverged", Fixture.jsonFile(dir.resolve("summary.json")).get("status"));
    Fixture.jsonLines(dir.resolve(MetricsLog.FILE_NAME));
  }
}
