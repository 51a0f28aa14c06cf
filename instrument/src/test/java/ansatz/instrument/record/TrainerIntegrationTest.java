package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Rng;
import ansatz.nn.Module;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes as a listener of the real {@link Trainer}. */
class TrainerIntegrationTest {
  static Trainer.Builder trainer(Module model, Dataset data, Path dir, FeatureProbes probes, int epochs) {
    return Trainer.builder().model(model).loss(MSELoss.mean()).optimizer(new SGD(model.parameters(), 0.05))
        .train(new DataLoader(data, 40, true, false, new Rng(3))).epochs(epochs).outDir(dir)
        .listener(probes).config("probes", probes.summaryFields());
  }

  @Test
  void probesRecordThroughTheTrainer(@TempDir Path dir) throws Exception {
    Dataset data = FeatureProbesTest.x1x2(200, 4);
    Module model = FeatureProbesTest.mlp(11, 4);
    FeatureProbes probes = FeatureProbes.attach(model, data, ProbeConfig.builder().probeSamples(80).build());
    TrainResult r = trainer(model, data, dir, probes, 2).build().run();
    assertEquals(10, r.steps());
    assertEquals(List.of("epoch-0000", "epoch-0001", "epoch-0002"), probes.history().stream().map(FeatureProbes.Probe::tag).toList());
    List<Map<String, Object>> rows = FeatureProbesTest.readJsonl(dir.resolve("metrics.jsonl"));
    long probeRows = rows.stream().filter(m -> m.containsKey("quantity")).count();
    assertEquals(probes.history().stream().mapToLong(p -> p.measurements().size()).sum(), probeRows);
    Map<String, Object> last = rows.stream().filter(m -> "epoch-0002".equals(m.get("probe"))).findFirst().orElseThrow();
    assertEquals(10.0, last.get("step"));
    assertEquals(2.0, last.get("epoch"));
    for (String tag : List.of("epoch-0000", "epoch-0001", "epoch-0002")) assertTrue(Files.exists(dir.resolve("snapshots/" + tag + ".npz")));
    assertTrue(Files.exists(dir.resolve("model.json")));
    Map<String, Object> summary = MiniJson.object(Files.readString(dir.resolve("summary.json")));
    Map<?, ?> fromProbes = (Map<?, ?>) ((Map<?, ?>) summary.get("config")).get("probes");
    assertEquals(3.0, fromProbes.get("probes"));
    assertEquals("epoch-0002", fromProbes.get("last_probe"));
  }

  @Test
  void resumedRunKeepsTheInitialBaselines(@TempDir Path dir) throws Exception {
    Dataset data = FeatureProbesTest.x1x2(200, 4);
    Module model = FeatureProbesTest.mlp(12, 4);
    FeatureProbes first = FeatureProbes.attach(model, data, ProbeConfig.builder().probeSamples(60).build());
    trainer(model, data, dir, first, 1).checkpointEveryEpochs(1).build().run();
    double baseline = first.latest().measurements().get(0).baseline();

    Module again = FeatureProbesTest.mlp(99, 4); // other initial weights: the snapshots must win
    FeatureProbes second = FeatureProbes.attach(again, data, ProbeConfig.builder().probeSamples(60).build());
    trainer(again, data, dir, second, 2).resumeFrom(dir.resolve("checkpoint.npz")).build().run();
    FeatureProbes.Probe resumedFirst = second.history().get(0);
    assertEquals("epoch-0001", resumedFirst.tag());
    assertEquals(first.latest().measurements().get(0).key(), resumedFirst.measurements().get(0).key());
    assertEquals(baseline, resumedFirst.measurements().get(0).baseline(), 1e-12);
    assertEquals(first.latest().measurements().get(0).value(), resumedFirst.measurements().get(0).value(), 1e-9);
    assertEquals("epoch-0002", second.latest().tag());
  }
}
