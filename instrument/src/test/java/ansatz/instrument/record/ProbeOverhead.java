package ansatz.instrument.record;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.data.Batch;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.FashionMnist;
import ansatz.nn.data.Split;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a test: measures what probing every epoch on 2000 samples adds to the training of the MLP
 * 784-1024-1024-10 on Fashion-MNIST (60000 samples, batch 128, SGD). Run with the test classpath:
 * {@code java -cp ... ansatz.instrument.record.ProbeOverhead [outDir] [trainLimit]}.
 * It times one full training epoch and one default probe (after a warm-up probe), and prints both
 * and their ratio.
 */
public final class ProbeOverhead {
  public static void main(String[] args) throws Exception {
    Path out = Files.createTempDirectory("probe-overhead");
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 60000;
    if (args.length > 0) out = Path.of(args[0]);
    Files.createDirectories(out);
    Split split = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Options.defaults().withLimits(limit, 1000));
    Dataset train = split.train();
    Module model = Models.mlp(new int[] {784, 1024, 1024, 10}, Activation.RELU, false, new Rng(0));
    FeatureProbes probes = FeatureProbes.attach(model, train, ProbeConfig.defaults());
    ManualTraining d = new ManualTraining(model, train, out);
    double t0 = System.nanoTime();
    probes.onTrainStart(d); // probe at init (also the JIT warm-up of the probe path)
    double initProbe = (System.nanoTime() - t0) / 1e9;
    SGD opt = new SGD(model.parameters(), 0.05);
    CrossEntropyLoss ce = new CrossEntropyLoss();
    DataLoader loader = new DataLoader(train, 128, true, false, new Rng(1));
    double[] epochSec = new double[2], probeSec = new double[2];
    for (int e = 0; e < 2; e++) {
      long s = System.nanoTime();
      double lossSum = 0;
      int batches = 0;
      for (Batch b : loader) {
        opt.zeroGrad();
        Tensor loss = ce.apply(model.call(b.x()), b.labels());
        loss.backward();
        opt.step();
        lossSum += loss.item();
        batches++;
        d.step++;
      }
      epochSec[e] = (System.nanoTime() - s) / 1e9;
      d.epoch++;
      long p = System.nanoTime();
      probes.onEpochEnd(d);
      probeSec[e] = (System.nanoTime() - p) / 1e9;
      System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, train %.2f s, probe %.2f s (%.1f%%)%n", e + 1, lossSum / batches, epochSec[e], probeSec[e],
          100 * probeSec[e] / epochSec[e]);
    }
    System.out.printf(Locale.ROOT, "init probe %.2f s; threads %d; overhead (epoch 2) %.1f%%%n", initProbe,
        ansatz.autograd.kernel.Parallel.threads(), 100 * probeSec[1] / epochSec[1]);
    var last = probes.latest();
    for (String l : new String[] {"0", "2", "4"}) {
      System.out.printf(Locale.ROOT, "layer %s: nfa pearson a=1/2 %.3f (init %.3f), a=1 %.3f; uc_nfa %.3f; c_nfa %.3f; dW/W %.3f%n", l,
          last.value(l, "nfa", "pearson,alpha=0.5,init_removed=false,grad_centered=false"),
          last.measurements().stream().filter(m -> m.layer().equals(l) && m.quantity().equals("nfa")).findFirst().orElseThrow().baseline(),
          last.value(l, "nfa", "pearson,alpha=1,init_removed=false,grad_centered=false"),
          last.value(l, "uc_nfa", "pearson,alpha=1,init_removed=false,grad_centered=false"),
          last.value(l, "c_nfa", "pearson,alpha=1,init_removed=true,grad_centered=false"), last.value(l, "weight_change", "-"));
    }
    System.out.println("probe seconds by part (all probes): " + probes.summaryFields().get("probe_seconds_by_part"));
    System.out.println("run directory: " + out);
  }
}
