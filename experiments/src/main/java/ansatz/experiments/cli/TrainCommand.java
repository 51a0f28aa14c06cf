package ansatz.experiments.cli;

import ansatz.autograd.Rng;
import ansatz.nn.Activation;
import ansatz.nn.Module;
import ansatz.nn.data.DataException;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.DataSpec;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Split;
import ansatz.nn.data.Splits;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.Loss;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.AlignmentBoostingSGD;
import ansatz.nn.optim.Optimizer;
import ansatz.nn.optim.SGD;
import ansatz.nn.train.Checkpoint;
import ansatz.nn.train.Progress;
import ansatz.nn.train.TrainResult;
import ansatz.nn.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ansatz train}: trains one network on one data set with the {@link Trainer} and writes
 * {@code metrics.jsonl}, {@code summary.json} and {@code checkpoint.npz} into {@code --out}.
 * Exit codes: 0 done (finished or stopped), 2 bad option or input (one line naming it), 3 diverged.
 */
@Command(
    name = "train",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Train a network; with --out write metrics.jsonl, summary.json and checkpoint.npz.",
      "Example: ansatz train --model mlp:784,1024,1024,10 --data fashion-mnist --loss ce --lr 0.1 --epochs 5 --out runs/mlp"
    })
public final class TrainCommand implements Callable<Integer> {
  /** Value of a bare {@code --resume}: the checkpoint in the --out directory. */
  private static final String RESUME_FROM_OUT = "<out>/checkpoint.npz";

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "SPEC",
      description = "mlp:W0,W1,...,WL (input width, hidden widths, output width) or cnn:small")
  String model;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "fashion-mnist[:DIR][:k=v,...] | synthetic:NAME[:k=v,...] | csv:PATH[:label=COL,...]")
  String data;

  @Option(names = "--test-data", paramLabel = "SPEC",
      description = "evaluation data, same forms (its test part); default: the data's own test split, else a seeded 20%% hold-out")
  String testData;

  @Option(names = "--loss", paramLabel = "mse|ce", description = "default: ce for classification data, mse otherwise")
  String loss;

  @Option(names = "--optimizer", paramLabel = "sgd|align", defaultValue = "sgd", description = "default: ${DEFAULT-VALUE}")
  String optimizer;

  @Option(names = "--align-target", paramLabel = "LAYER", description = "align: the boosted layer (0 = first; default 0)")
  Integer alignTarget;

  @Option(names = "--align-c", paramLabel = "C", description = "align: boost factor C (default 200 for layer 0, else 5)")
  Double alignC;

  @Option(names = "--align-eps", paramLabel = "EPS", description = "align: eps (default 0 for layer 0, else 0.1)")
  Double alignEps;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.1",
      description = "learning rate: absolute (0.1) or a multiple of the critical rate 2/lambda_0 (1.5x; needs --loss mse; lambda_0 of the"
          + " empirical NTK at initialization on the first --lr-probe training samples) (default ${DEFAULT-VALUE})")
  String lr;

  @Option(names = "--lr-probe", paramLabel = "N", defaultValue = "256",
      description = "training samples on which lambda_0 is measured for a relative --lr (default ${DEFAULT-VALUE})")
  int lrProbe;

  @Option(names = "--momentum", paramLabel = "M", description = "sgd: momentum (default 0)")
  Double momentum;

  @Option(names = "--nesterov", description = "sgd: Nesterov momentum")
  boolean nesterov;

  @Option(names = "--weight-decay", paramLabel = "WD", description = "sgd: L2 weight decay (default 0)")
  Double weightDecay;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "batch size (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--epochs", paramLabel = "N", description = "total epochs (default 1 unless --steps is given)")
  Integer epochs;

  @Option(names = "--steps", paramLabel = "N", description = "stop after N optimizer steps in total")
  Long steps;

  @Option(names = "--init", paramLabel = "RULE", defaultValue = "default",
      description = "default (PyTorch's) | kaiming | kaiming-uniform | xavier | xavier-uniform | small:SCALE (PyTorch's default times SCALE) | ntk (NTK parameterization)")
  String init;

  @Option(names = "--bias", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "biases in the layers (default on; --no-bias for the papers' bias-free networks)")
  boolean bias;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
      description = "relu | leaky-relu | tanh | sigmoid | gelu | identity (default ${DEFAULT-VALUE})")
  String activation;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of initialization and batch order (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "kernel threads (default: all processors)")
  Integer threads;

  @Option(names = "--out", paramLabel = "DIR", description = "run directory for metrics.jsonl, summary.json, checkpoint.npz")
  Path out;

  @Option(names = "--resume", paramLabel = "CHECKPOINT", arity = "0..1", fallbackValue = RESUME_FROM_OUT,
      description = "continue from a checkpoint (default: the one in --out); --epochs and --steps count from the original start")
  String resume;

  @Option(names = "--probe", description = "attach the feature probes (NFM, AGOP, NFA, UC/C-NFA, ...; DEFINITIONS.md): all Linear/Conv2d layers,"
      + " every epoch, on 2000 training samples, all quantities that apply; writes snapshots/ and model.json into --out")
  boolean probe;

  @Option(names = "--probe-every", paramLabel = "N[e|s]", description = "probe every N epochs (N or Ne) or N steps (Ns) (default 1e)")
  String probeEvery;

  @Option(names = "--probe-samples", paramLabel = "N", description = "probe subset size (default 2000, at most the training size)")
  Integer probeSamples;

  @Option(names = "--probe-layers", paramLabel = "NAMES", split = ",", description = "dotted module names of the layers to probe (default: all Linear/Conv2d)")
  java.util.List<String> probeLayers;

  @Option(names = "--log-every", paramLabel = "K", defaultValue = "0", description = "also log a metrics row every K steps (default: epoch rows only)")
  int logEvery;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto | bar | lines | off (default ${DEFAULT-VALUE})")
  String progress;

  @Option(names = "--eval-batch", paramLabel = "N", defaultValue = "1000", description = "rows per evaluation chunk (default ${DEFAULT-VALUE})")
  int evalBatch;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    ModelSpec modelSpec = ModelSpec.parse(model);
    if (!init.equals("ntk")) ModelSpec.initRule(init);
    double multiple = criticalMultiple(lr);
    double rate = Double.isNaN(multiple) ? learningRate(lr) : Double.NaN;
    Activation act = activation(activation);
    Progress.Mode progressMode = progressMode(progress);
    Path resumeFrom = resumePath();
    if (threads != null) ThreadCount.set(threads);

    boolean probing = probe || probeEvery != null || probeSamples != null || probeLayers != null;
    // The data load leaves a core idle: compile the probes' code meanwhile (see ProbeWarmup).
    if (probing) ansatz.instrument.record.ProbeWarmup.startInBackground();
    Split split = loadData();
    Dataset train = split.train(), test = split.test();
    Loss lossFn = lossFunction(train);
    Rng root = new Rng(seed);
    Rng initRng = root.split(), orderRng = root.split();
    Module net = modelSpec.build(train, act, bias, init, initRng);
    if (!Double.isNaN(multiple)) rate = relativeRate(multiple, net, train, lossFn);
    Optimizer opt = optimizer(net, rate);

    Trainer.Builder b = Trainer.builder()
        .model(net)
        .loss(lossFn)
        .optimizer(opt)
        .train(new DataLoader(train, batch, true, false, orderRng))
        .test(test)
        .progress(new Progress(System.out, progressMode, 10))
        .outDir(out)
        .logEverySteps(logEvery)
        .evalBatchSize(evalBatch)
        .resumeFrom(resumeFrom);
    if (steps != null) b.maxSteps(steps);
    if (epochs != null) b.epochs(epochs);
    else if (steps == null) b.epochs(1);
    recordConfig(b, train, test);
    if (probing) {
      // Attaching checks layer names and quantities now, before any training step.
      b.listener(ansatz.instrument.record.FeatureProbes.attach(net, probeConfig(train)));
    }

    TrainResult r = b.build().run();
    return report(r);
  }

  private void checkOptions() {
    if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    if (epochs != null && epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    if (steps != null && steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
    if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    if (logEvery < 0) throw new IllegalArgumentException("--log-every must be >= 0, got " + logEvery);
    if (evalBatch < 1) throw new IllegalArgumentException("--eval-batch must be >= 1, got " + evalBatch);
    boolean sgd = optimizer.equals("sgd"), align = optimizer.equals("align");
    if (!sgd && !align) throw new IllegalArgumentException("--optimizer must be sgd or align, got '" + optimizer + "'");
    if (align) {
      if (momentum != null) throw new IllegalArgumentException("--momentum applies to --optimizer sgd only");
      if (weightDecay != null) throw new IllegalArgumentException("--weight-decay applies to --optimizer sgd only");
      if (nesterov) throw new IllegalArgumentException("--nesterov applies to --optimizer sgd only");
    } else {
      if (alignTarget != null) throw new IllegalArgumentException("--align-target applies to --optimizer align only");
      if (alignC != null) throw new IllegalArgumentException("--align-c applies to --optimizer align only");
      if (alignEps != null) throw new IllegalArgumentException("--align-eps applies to --optimizer align only");
      if (momentum != null && !(momentum >= 0 && momentum < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("--momentum must be finite and >= 0, got " + momentum);
      }
      if (weightDecay != null && !(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("--weight-decay must be finite and >= 0, got " + weightDecay);
      }
      if (nesterov && (momentum == null || momentum == 0)) throw new IllegalArgumentException("--nesterov needs --momentum > 0");
    }
    if (alignC != null && !(alignC > 0 && alignC < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("--align-c must be finite and > 0, got " + alignC);
    if (alignEps != null && !(alignEps >= 0 && alignEps < Double.POSITIVE_INFINITY)) throw new IllegalArgumentException("--align-eps must be finite and >= 0, got " + alignEps);
  }

  /** @return m for "--lr mx" (a multiple of the critical rate), NaN for an absolute rate */
  static double criticalMultiple(String text) {
    String t = text.trim();
    if (!(t.endsWith("x") || t.endsWith("X"))) return Double.NaN;
    double m;
    try {
      m = Double.parseDouble(t.substring(0, t.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--lr: '" + text + "' is not a multiple of the critical rate (expected e.g. 1.5x)");
    }
    if (!(m > 0) || Double.isInfinite(m)) throw new IllegalArgumentException("--lr multiple must be finite and > 0, got " + text);
    return m;
  }

  /**
   * multiple x the critical rate of GD for this loss at initialization, from lambda_0 = lambda_max of
   * the empirical NTK on the first {@code --lr-probe} training samples (DEFINITIONS.md section 7).
   */
  private double relativeRate(double multiple, Module net, Dataset train, Loss lossFn) {
    if (!(lossFn instanceof ansatz.nn.loss.MSELoss mse)) {
      throw new IllegalArgumentException("--lr " + lr + ": the critical rate is defined for squared losses; use --loss mse or an absolute rate");
    }
    if (lrProbe < 1) throw new IllegalArgumentException("--lr-probe must be >= 1, got " + lrProbe);
    int n = Math.min(lrProbe, train.size());
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    ansatz.instrument.ntk.CriticalRate cr = ansatz.instrument.ntk.CriticalRate.measure(net, train.inputs().rows(idx));
    double crit = cr.forLoss(mse, batch);
    double rate = multiple * crit;
    System.out.printf(Locale.ROOT, "lambda_0 = %.6g on %d samples; critical rate %.6g; --lr %s = %.6g%n", cr.lambdaMax(), n, crit, lr, rate);
    return rate;
  }

  /** An absolute rate. */
  static double learningRate(String text) {
    String t = text.trim();
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--lr: '" + text + "' is not a number (expected an absolute rate such as 0.1)");
    }
    if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("--lr must be finite and > 0, got " + text);
    return v;
  }

  static Activation activation(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "relu" -> Activation.RELU;
      case "leaky-relu", "leaky_relu", "leakyrelu" -> Activation.LEAKY_RELU;
      case "tanh" -> Activation.TANH;
      case "sigmoid" -> Activation.SIGMOID;
      case "gelu" -> Activation.GELU;
      case "identity", "linear", "none" -> Activation.IDENTITY;
      default -> throw new IllegalArgumentException("--activation must be one of relu, leaky-relu, tanh, sigmoid, gelu, identity; got '" + name + "'");
    };
  }

  private static Progress.Mode progressMode(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "auto" -> Progress.Mode.AUTO;
      case "bar" -> Progress.Mode.BAR;
      case "lines" -> Progress.Mode.LINES;
      case "off", "none" -> Progress.Mode.OFF;
      default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or off; got '" + s + "'");
    };
  }

  private Path resumePath() {
    if (resume == null) return null;
    Path p;
    if (resume.equals(RESUME_FROM_OUT)) {
      if (out == null) throw new IllegalArgumentException("--resume without a file needs --out (it resumes from OUT/" + Checkpoint.FILE_NAME + ")");
      p = out.resolve(Checkpoint.FILE_NAME);
    } else {
      p = Path.of(resume);
    }
    if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--resume: no checkpoint at " + p);
    return p;
  }

  /** Loads --data and the evaluation data; errors name the option. */
  private Split loadData() {
    Split split = load("--data", data);
    Dataset train = split.train(), test = split.test();
    if (testData != null) {
      test = load("--test-data", testData).test();
    } else if (test.size() == 0) {
      Split held = Splits.holdOut(train, 0.2, seed);
      train = held.train();
      test = held.test();
    }
    if (train.size() == 0) throw new IllegalArgumentException("--data " + data + ": no training samples");
    return new Split(train, test);
  }

  private static Split load(String option, String specText) {
    try {
      return DataSpec.parse(specText).load();
    } catch (DataException | IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private Loss lossFunction(Dataset train) {
    String name = loss != null ? loss.toLowerCase(Locale.ROOT) : (train.isClassification() ? "ce" : "mse");
    return switch (name) {
      case "ce", "cross-entropy" -> {
        if (!train.isClassification()) {
          throw new IllegalArgumentException("--loss ce needs class labels, but '" + train.name() + "' is regression data (use --loss mse)");
        }
        yield new CrossEntropyLoss();
      }
      case "mse" -> MSELoss.mean(); // on classification data the targets are the one-hot rows
      default -> throw new IllegalArgumentException("--loss must be mse or ce, got '" + loss + "'");
    };
  }

  private Optimizer optimizer(Module net, double rate) {
    if (optimizer.equals("align")) {
      AlignmentBoostingSGD a;
      try {
        a = new AlignmentBoostingSGD(net, rate, alignTarget == null ? 0 : alignTarget);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--align-target: " + e.getMessage(), e);
      }
      if (alignC != null) a.boost(alignC);
      if (alignEps != null) a.eps(alignEps);
      return a;
    }
    SGD s = new SGD(net.parameters(), rate);
    if (momentum != null) s.momentum(momentum);
    if (weightDecay != null) s.weightDecay(weightDecay);
    s.nesterov(nesterov);
    return s;
  }

  /** The options as given (and the defaults in effect), for summary.json. */
  /** The probe options as a ProbeConfig; errors name the option. */
  private ansatz.instrument.record.ProbeConfig probeConfig(Dataset train) {
    var c = ansatz.instrument.record.ProbeConfig.builder();
    if (probeEvery != null) {
      String t = probeEvery.trim().toLowerCase(Locale.ROOT);
      boolean steps = t.endsWith("s");
      String num = (t.endsWith("s") || t.endsWith("e")) ? t.substring(0, t.length() - 1) : t;
      int k;
      try {
        k = Integer.parseInt(num);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--probe-every: '" + probeEvery + "' is not N, Ne (epochs) or Ns (steps)");
      }
      if (k < 1) throw new IllegalArgumentException("--probe-every must be >= 1, got " + probeEvery);
      if (steps) c.everySteps(k);
      else c.everyEpochs(k);
    }
    if (probeSamples != null) {
      if (probeSamples < 1) throw new IllegalArgumentException("--probe-samples must be >= 1, got " + probeSamples);
      if (probeSamples > train.size()) {
        throw new IllegalArgumentException("--probe-samples " + probeSamples + " is larger than the training data (" + train.size() + " samples)");
      }
      c.probeSamples(probeSamples);
    } else {
      c.probeSamples(Math.min(2000, train.size()));
    }
    if (probeLayers != null) c.layers(probeLayers.toArray(String[]::new));
    c.probeSeed(seed);
    return c.build();
  }

  private void recordConfig(Trainer.Builder b, Dataset train, Dataset test) {
    b.config("command", "train");
    b.config("model", model);
    b.config("data", data);
    b.config("test_data", testData != null ? testData : test.name());
    b.config("loss", loss != null ? loss : (train.isClassification() ? "ce" : "mse"));
    b.config("optimizer", optimizer);
    b.config("lr", lr);
    if (momentum != null) b.config("momentum", momentum);
    if (nesterov) b.config("nesterov", true);
    if (weightDecay != null) b.config("weight_decay", weightDecay);
    if (optimizer.equals("align")) {
      b.config("align_target", alignTarget == null ? 0 : alignTarget);
      if (alignC != null) b.config("align_c", alignC);
      if (alignEps != null) b.config("align_eps", alignEps);
    }
    b.config("batch", batch);
    b.config("epochs", epochs);
    b.config("steps", steps);
    b.config("init", init);
    b.config("bias", bias);
    b.config("activation", activation);
    b.config("seed", seed);
    if (threads != null) b.config("threads", threads);
    if (resume != null) b.config("resume", resume);
  }

  private int report(TrainResult r) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (r.diverged()) {
      // stopReason reads "diverged at step N: what went non-finite"
      err.printf(Locale.ROOT, "ansatz: training %s; last finite loss %s%s%n", r.stopReason(), Double.toString(r.lastFiniteLoss()),
          r.checkpoint().map(p -> "; last good checkpoint kept: " + p).orElse(""));
      err.flush();
      return AnsatzMain.EXIT_DIVERGED;
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s after %d steps (%d epochs)", r.status().label(), r.steps(), r.epochs()));
    r.finalMetrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.4f", k.replace('_', ' '), v)));
    double[] es = r.epochSeconds();
    if (es.length > 0) sb.append(String.format(Locale.ROOT, "; %.2f s per epoch", java.util.Arrays.stream(es).average().orElse(Double.NaN)));
    if (r.stopReason() != null) sb.append(" (").append(r.stopReason()).append(')');
    out.println(sb);
    if (this.out != null) out.println("outputs in " + this.out);
    out.flush();
    return 0;
  }
}
