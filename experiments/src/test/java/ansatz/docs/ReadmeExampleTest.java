package ansatz.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import ansatz.nn.init.Init;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's example, compiled and run so that it cannot rot: {@link DocSamplesTest} checks that
 * the README shows exactly the region below and what it prints.
 */
class ReadmeExampleTest {
  /** The run's output directory, under target/ (so that {@code mvn clean} removes it if a test dies). */
  private static Path out;

  static FeatureProbes firstLook() throws IOException {
    Files.createDirectories(Path.of("target"));
    out = Files.createTempDirectory(Path.of("target"), "readme-example-");
    // region firstLook
    Split data = Synthetic.builder("x1x2").d(20).n(2000).nTest(1000).seed(0).build();   // y = x1 * x2
    Sequential model = Models.mlp(new int[] {20, 256, 256, 1}, Activation.RELU, false,
        Init.pytorchDefault().scaled(0.1), new Rng(0));                                  // small init
    FeatureProbes probes = FeatureProbes.attach(model, ProbeConfig.builder().everyEpochs(5).probeSamples(500).build());
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
    String variant = NfaVariant.DEFAULT.label();   // "pearson,alpha=0.5,init_removed=false,grad_centered=false"
    for (var layer : probes.layers()) {
      System.out.printf("layer %s: pearson(NFM, AGOP^1/2) = %.3f (%.3f at init)%n", layer.name(),
          probes.latest().value(layer.name(), "nfa", variant), probes.history().get(0).value(layer.name(), "nfa", variant));
    }
    // endregion firstLook
    return probes;
  }

  @Test
  void readmeExampleLearnsFeaturesAndWritesTheRun() throws Exception {
    FeatureProbes probes = Samples.run(ReadmeExampleTest.class, "firstLook").as();
    try {
      // DEFINITIONS.md claim 4 at this size: the first layer's NFA ends high and above its init baseline.
      String variant = NfaVariant.DEFAULT.label();
      double init = probes.history().get(0).value("0", "nfa", variant), trained = probes.latest().value("0", "nfa", variant);
      assertTrue(trained >= 0.9 && trained > init, "layer 0: NFA " + init + " at init -> " + trained);
      assertEquals(List.of("0", "2", "4"), probes.layers().stream().map(l -> l.name()).toList());
      assertTrue(Files.isRegularFile(out.resolve("model.json")));
      assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"quantity\":\"nfa\""), "the NFA rows are in metrics.jsonl");
    } finally {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }
}
