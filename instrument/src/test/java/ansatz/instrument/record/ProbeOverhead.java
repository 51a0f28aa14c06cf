package ansatz.instrument.record;

import ansatz.autograd.Rng;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.FashionMnist;
import ansatz.nn.data.Split;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Progress;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Not a test: what probing every epoch on 2000 samples (the default probe set) adds to training
 * the MLP 784-1024-1024-10 on Fashion-MNIST (60000 samples, batch 128, SGD) with the Trainer.
 * The trainer's epoch_seconds count training only (listeners excluded), so one probed run gives
 * both numbers. Run with the test classpath:
 * {@code java --add-modules jdk.incubator.vector -cp ... ansatz.instrument.record.ProbeOverhead [runDir] [epochs]}.
 */
public final class ProbeOverhead {
  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("probe-overhead");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Split split = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Options.defaults().withLimits(60000, 10000));
    Module model = Models.mlp(new int[] {784, 1024, 1024, 10}, Activation.RELU, false, new Rng(0));
    FeatureProbes probes = FeatureProbes.attach(model, split.train(), ProbeConfig.defaults());
    TrainResult r = Trainer.builder().model(model).loss(new CrossEntropyLoss()).optimizer(new SGD(model.parameters(), 0.05))
        .train(new DataLoader(split.train(), 128, true, false, new Rng(1))).test(split.test()).epochs(epochs).outDir(out)
        .listener(probes).config("probes", probes.summaryFields()).progress(new Progress(System.out, Progress.Mode.LINES, 30))
        .build().run();
    double[] epochSec = r.epochSeconds();
    double[] probeSec = probes.history().stream().mapToDouble(FeatureProbes.Probe::seconds).toArray();
    System.out.println("epoch seconds (training only): " + Arrays.toString(epochSec));
    System.out.println("probe seconds (init, then after each epoch): " + Arrays.toString(probeSec));
    double meanEpoch = Arrays.stream(epochSec).average().orElse(Double.NaN);
    double meanProbe = Arrays.stream(probeSec, 1, probeSec.length).average().orElse(Double.NaN);
    System.out.printf(Locale.ROOT, "overhead of probing every epoch: %.1f%% (mean probe %.2f s / mean epoch %.2f s); threads %d%n",
        100 * meanProbe / meanEpoch, meanProbe, meanEpoch, ansatz.autograd.kernel.Parallel.threads());
    System.out.println("probe seconds by part (all probes): " + probes.summaryFields().get("probe_seconds_by_part"));
    var last = probes.latest();
    for (String l : new String[] {"0", "2", "4"}) {
      System.out.printf(Locale.ROOT, "layer %s: nfa pearson a=1/2 %.3f (init %.3f), a=1 %.3f; uc_nfa %.3f; c_nfa %.3f; dW/W %.3f%n", l,
          last.value(l, "nfa", "pearson,alpha=0.5,init_removed=false,grad_centered=false"),
          last.measurements().stream().filter(m -> m.layer().equals(l) && m.quantity().equals("nfa")).findFirst().orElseThrow().baseline(),
          last.value(l, "nfa", "pearson,alpha=1,init_removed=false,grad_centered=false"),
          last.value(l, "uc_nfa", "pearson,alpha=1,init_removed=false,grad_centered=false"),
          last.value(l, "c_nfa", "pearson,alpha=1,init_removed=true,grad_centered=false"), last.value(l, "weight_change", "-"));
    }
    System.out.println("run directory: " + out);
  }
}
