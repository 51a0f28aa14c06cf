package ansatz.experiments.docs;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import ansatz.instrument.NfaVariant;
import ansatz.instrument.record.FeatureProbes;
import ansatz.instrument.record.ProbeConfig;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Split;
import ansatz.nn.data.Synthetic;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, compiled and run so that it cannot rot. Keep the two in step. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRunsAndPrintsAnNfa(@TempDir Path runs) throws Exception {
    Path out = runs.resolve("mlp");
    // --- README example: begin
    Split data = Synthetic.builder("x1x2").d(20).n(2000).nTest(1000).seed(0).build();
    Sequential model = Models.mlp(new int[] {20, 256, 256, 1}, Activation.RELU, false, new Rng(0));
    FeatureProbes probes = FeatureProbes.attach(model, ProbeConfig.builder().everyEpochs(5).probeSamples(1000).build());
    Trainer.builder()
        .model(model)
        .loss(MSELoss.mean())
        .optimizer(new SGD(model.parameters(), 0.1).momentum(0.9))
        .train(new DataLoader(data.train(), 128, true, false, new Rng(1)))
        .test(data.test())
        .epochs(10)
        .listener(probes)       // NFM, AGOP, NFA per layer at init and every 5 epochs
        .outDir(out)            // metrics.jsonl, summary.json, snapshots/*.npz, model.json
        .build()
        .run();
    for (var layer : probes.layers()) {
      double nfa = probes.latest().value(layer.name(), "nfa", NfaVariant.DEFAULT.label());
      System.out.printf("layer %s: pearson(NFM, AGOP^1/2) = %.3f%n", layer.name(), nfa);
    }
    // --- README example: end
    for (var layer : probes.layers()) {
      double v = probes.latest().value(layer.name(), "nfa", NfaVariant.DEFAULT.label());
      assertTrue(v >= -1 && v <= 1, layer.name() + ": " + v);
    }
    assertTrue(Files.isRegularFile(out.resolve("metrics.jsonl")));
    assertTrue(Files.isRegularFile(out.resolve("model.json")));
  }
}
