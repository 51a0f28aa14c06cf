package ansatz.nn.train;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.io.AtomicFiles;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.data.Batch;
import ansatz.nn.data.DataLoader;
import ansatz.nn.data.Dataset;
import ansatz.nn.io.Json;
import ansatz.nn.loss.CrossEntropyLoss;
import ansatz.nn.loss.Loss;
import ansatz.nn.optim.LrScheduler;
import ansatz.nn.optim.Optimizer;
import ansatz.nn.optim.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The training loop: mini-batch steps, an evaluation after every epoch, listeners, progress on the
 * console, and (with an output directory) {@code metrics.jsonl}, {@code summary.json} and
 * {@code checkpoint.npz}.
 *
 * <pre>{@code
 * TrainResult r = Trainer.builder()
 *     .model(model).loss(new CrossEntropyLoss()).optimizer(new SGD(model.parameters(), 0.1))
 *     .train(new DataLoader(split.train(), 128, true, false, new Rng(seed)))
 *     .test(split.test())
 *     .epochs(5)
 *     .outDir(Path.of("runs/mlp"))
 *     .progress(new Progress(System.out, Progress.Mode.AUTO, 10))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <h2>One step</h2>
 * Gradients of all model parameters are cleared, the batch goes forward, the loss is computed
 * (cross-entropy from the class labels, every other loss from the target rows, which are one-hot for
 * classification data), and its value is read. A non-finite loss stops training at once, before
 * backward. Otherwise backward, optimizer step, then (unless turned off) a scan of every parameter:
 * a NaN or infinity stops training too. A step-wise schedule advances, then the listeners'
 * {@link TrainListener#onStepEnd} run; gradients are left in place for them.
 *
 * <h2>One epoch</h2>
 * After the last batch: the mean training loss and accuracy of the epoch's steps, the test loss and
 * accuracy (grad off, eval mode, {@link Evaluation}), an epoch-wise schedule step, a metrics row, the
 * listeners' {@link TrainListener#onEpochEnd}, then the checkpoint.
 *
 * <h2>Divergence</h2>
 * Status {@link TrainStatus#DIVERGED}; the failing step and the last finite loss go into the result,
 * the last metrics row and summary.json; the checkpoint is not overwritten, so the last good one
 * (from the last epoch end) stays loadable.
 *
 * <h2>Resuming</h2>
 * {@link Builder#resumeFrom} restores model, optimizer, schedule time, generator states and counters
 * from a checkpoint; the run then continues bitwise as if it had not stopped (the same losses, the
 * same weights), also from a checkpoint taken mid-epoch at a step limit: the loader's generator is
 * saved as it was before the epoch's order was drawn, and the batches already done are skipped.
 * {@code epochs} and {@code maxSteps} count from the start of the original run. Listener state is
 * not part of the checkpoint.
 *
 * <h2>Determinism</h2>
 * The trainer draws no random numbers of its own: the loader's generator (and any registered with
 * {@link Builder#rng}) and the kernels, whose results do not depend on the thread count, fix every
 * number.
 */
public final class Trainer {
  /** When a learning-rate schedule advances. */
  public enum ScheduleUnit {
    /** after every optimizer step */
    STEP,
    /** after every epoch */
    EPOCH
  }

  private final Module model;
  private final Loss loss;
  private final Optimizer optimizer;
  private final Schedule schedule;
  private final ScheduleUnit scheduleUnit;
  private final DataLoader loader;
  private final Dataset test;
  private final int epochs;
  private final long maxSteps;
  private final List<TrainListener> listeners;
  private final Progress progress;
  private final Path outDir;
  private final int logEverySteps;
  private final int checkpointEveryEpochs;
  private final Path resumeFrom;
  private final Map<String, Object> config;
  private final int evalBatchSize;
  private final Map<String, Rng> rngs;
  private final boolean checkParameters;
  private boolean ran;

  private Trainer(Builder b) {
    this.model = b.model;
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.schedule = b.schedule;
    this.scheduleUnit = b.scheduleUnit;
    this.loader = b.train;
    this.test = b.test;
    this.epochs = b.epochs;
    this.maxSteps = b.maxSteps;
    this.listeners = List.copyOf(b.listeners);
    this.progress = b.progress;
    this.outDir = b.outDir;
    this.logEverySteps = b.logEverySteps;
    this.checkpointEveryEpochs = b.checkpointEveryEpochs;
    this.resumeFrom = b.resumeFrom;
    this.config = new LinkedHashMap<>(b.config);
    this.evalBatchSize = b.evalBatchSize;
    this.rngs = new LinkedHashMap<>(b.rngs);
    this.checkParameters = b.checkParameters;
  }

  /** {@return a builder with the defaults: no schedule, no test set, no output, progress off} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains. May be called once per trainer.
   *
   * @return what happened; a divergence is a result ({@link TrainResult#diverged()}), not an exception
   * @throws IOException when an output file cannot be written or the checkpoint to resume from cannot be read
   */
  public TrainResult run() throws IOException {
    if (ran) throw new IllegalStateException("Trainer.run: a trainer runs once; build a new one to train again");
    ran = true;
    return new Run().execute();
  }

  /** {@return the model being trained} */
  public Module model() {
    return model;
  }

  /** {@return the element type of the model's parameters (float32 for a model without any)} */
  static DType modelDType(Module model) {
    for (Parameter p : model.parameters()) return p.dtype();
    return DType.FLOAT32;
  }

  /**
   * {@return the dotted name of the first parameter holding a NaN or an infinity, or null. Reads the
   *     exponent bits as ints (an all-ones exponent is NaN or infinity): a max over ints is cheap and
   *     vectorizes, so the scan costs well under a percent of a step.}
   */
  static String nonFiniteParameter(Module model) {
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      Tensor t = e.getValue().tensor();
      boolean finite = t.dtype() == DType.FLOAT32 ? allFinite(t.floats()) : allFinite(t.doubles());
      if (!finite) return e.getKey();
    }
    return null;
  }

  private static boolean allFinite(float[] a) {
    int max = 0;
    for (float v : a) max = Math.max(max, Float.floatToRawIntBits(v) & 0x7f800000);
    return max != 0x7f800000;
  }

  private static boolean allFinite(double[] a) {
    long max = 0;
    for (double v : a) max = Math.max(max, Double.doubleToRawLongBits(v) & 0x7ff0000000000000L);
    return max != 0x7ff0000000000000L;
  }

  /** One execution of the loop; also the {@link TrainState} listeners see. */
  private final class Run implements TrainState {
    private final DataLoader data = loaderForModel();
    private final int batches = data.batchesPerEpoch();
    private final boolean classification = data.dataset().isClassification();
    private final Dataset testData = test == null ? null : test.to(modelDType(model));
    private final MetricsLog metrics = outDir == null ? null : new MetricsLog(outDir.resolve(MetricsLog.FILE_NAME));
    private LrScheduler scheduler;
    private final long startNanos = System.nanoTime();

    private long step;
    private int epoch;
    private int batchInEpoch;
    private double lastLoss = Double.NaN;
    private double lastFiniteLoss = Double.NaN;
    private double lastLr;
    private final Map<String, Double> lastEval = new LinkedHashMap<>();
    private long lastEvalStep = -1;
    private boolean stopRequested;
    private String stopReason;
    private TrainStatus status = TrainStatus.FINISHED;
    private long divergedAt = -1;

    private double epochLossSum;
    private long epochCorrect;
    private long epochSeen;
    private double epochTrainSeconds;
    private long[] epochStartRng;
    private long epochRunSamples;      // samples and steps of this epoch trained in this process (a
    private long epochRunSteps;        // resumed epoch skipped some), for samples/s and the ETA
    private long epochRunStartNanos;

    private final List<Double> epochSeconds = new ArrayList<>();
    private final List<Double> evalSeconds = new ArrayList<>();
    private double elapsedBefore;
    private long firstStep;
    private double[] stepLosses = new double[256];
    private int stepLossCount;
    private final List<Double> epochTrainLosses = new ArrayList<>();
    private long checkpointStep = -1;
    private Path resumedFrom;
    private boolean done; // summary.json says "running" until then

    TrainResult execute() throws IOException {
      try {
        if (outDir != null) Files.createDirectories(outDir);
        if (schedule != null) scheduler = new LrScheduler(optimizer, schedule);
        lastLr = optimizer.lr();
        if (resumeFrom != null) {
          restore(Checkpoint.read(resumeFrom));
        } else if (metrics != null) {
          metrics.reset();
        }
        firstStep = step;
        for (TrainListener l : listeners) l.onTrainStart(this);
        loop();
        if (status == TrainStatus.DIVERGED) {
          if (metrics != null) metrics.append(divergedRow());
        } else {
          if (lastEvalStep != step) evaluate("final", Double.NaN, Double.NaN);
          if (outDir != null && checkpointStep != step) writeCheckpoint();
        }
        for (TrainListener l : listeners) l.onTrainEnd(this);
        done = true;
      } catch (RuntimeException | Error | IOException e) {
        done = true;
        status = TrainStatus.FAILED;
        stopReason = e.getClass().getSimpleName() + ": " + e.getMessage();
        progress.finish();
        try {
          if (outDir != null) writeSummary();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      if (outDir != null) writeSummary();
      progress.finish();
      return result();
    }

    private DataLoader loaderForModel() {
      DType dt = modelDType(model);
      Dataset ds = loader.dataset();
      if (ds.inputs().dtype() == dt && ds.targets().dtype() == dt) return loader;
      return new DataLoader(ds.to(dt), loader.batchSize(), loader.shuffle(), loader.dropLast(), loader.rng());
    }

    private void loop() throws IOException {
      Rng order = data.rng();
      while ((epochs < 0 || epoch < epochs) && (maxSteps < 0 || step < maxSteps) && !stopRequested) {
        if (order != null) epochStartRng = order.state(); // before the epoch's order is drawn
        Iterator<Batch> it = data.iterator();
        for (int k = 0; k < batchInEpoch; k++) it.next(); // resumed mid-epoch: these are done
        epochRunSamples = 0;
        epochRunSteps = 0;
        epochRunStartNanos = System.nanoTime();
        while (it.hasNext() && (maxSteps < 0 || step < maxSteps) && !stopRequested) {
          boolean ok = trainStep(it.next());
          if (!ok) {
            epochTrainSeconds += (System.nanoTime() - epochRunStartNanos) / 1e9;
            return;
          }
          for (TrainListener l : listeners) l.onStepEnd(this);
          if (metrics != null && logEverySteps > 0 && step % logEverySteps == 0) metrics.append(stepRow());
          progress.step(snapshot());
        }
        epochTrainSeconds += (System.nanoTime() - epochRunStartNanos) / 1e9;
        if (it.hasNext()) return; // stopped inside the epoch
        endEpoch();
      }
    }

    /** {@return false when the step diverged} */
    private boolean trainStep(Batch b) {
      model.zeroGrad();
      Tensor out = model.call(b.x());
      Tensor l = Evaluation.loss(loss, out, b.y(), b.labels());
      double v = l.item();
      lastLoss = v;
      if (!Double.isFinite(v)) {
        diverge("the training loss is " + v);
        return false;
      }
      lastLr = optimizer.lr();
      l.backward();
      optimizer.step();
      if (checkParameters) {
        String bad = nonFiniteParameter(model);
        if (bad != null) {
          lastFiniteLoss = v;
          diverge("parameter '" + bad + "' is not finite after the update (the step's loss was " + v + ")");
          return false;
        }
      }
      step++;
      batchInEpoch++;
      lastFiniteLoss = v;
      addStepLoss(v);
      epochLossSum += v;
      epochSeen += b.size();
      epochRunSamples += b.size();
      epochRunSteps++;
      if (b.labels() != null) epochCorrect += Evaluation.correct(out, b.labels());
      if (scheduler != null && scheduleUnit == ScheduleUnit.STEP) scheduler.step();
      return true;
    }

    private void diverge(String what) {
      status = TrainStatus.DIVERGED;
      divergedAt = step + 1;
      stopReason = "diverged at step " + divergedAt + ": " + what;
      progress.line(String.format(Locale.ROOT, "training diverged at step %d: %s; last finite loss %s", divergedAt, what,
          Double.toString(lastFiniteLoss)));
    }

    private void endEpoch() throws IOException {
      epoch++;
      double trainLoss = epochLossSum / batches;
      double trainAcc = classification && epochSeen > 0 ? (double) epochCorrect / epochSeen : Double.NaN;
      double seconds = epochTrainSeconds;
      epochSeconds.add(seconds);
      epochTrainLosses.add(trainLoss);
      long samples = epochSeen;
      epochLossSum = 0;
      epochCorrect = 0;
      epochSeen = 0;
      epochTrainSeconds = 0;
      batchInEpoch = 0;
      evaluate("epoch", trainLoss, trainAcc, seconds, samples);
      if (scheduler != null && scheduleUnit == ScheduleUnit.EPOCH) scheduler.step();
      for (TrainListener l : listeners) l.onEpochEnd(this);
      progress.line(epochLine(seconds, samples));
      if (outDir != null && checkpointEveryEpochs > 0 && epoch % checkpointEveryEpochs == 0) {
        writeCheckpoint();
        writeSummary();
      }
    }

    private void evaluate(String type, double trainLoss, double trainAcc) {
      evaluate(type, trainLoss, trainAcc, Double.NaN, 0);
    }

    private void evaluate(String type, double trainLoss, double trainAcc, double seconds, long samples) {
      long t0 = System.nanoTime();
      lastEval.clear();
      if (!Double.isNaN(trainLoss)) lastEval.put("train_loss", trainLoss);
      if (!Double.isNaN(trainAcc)) lastEval.put("train_accuracy", trainAcc);
      if (testData != null) {
        Evaluation.Result r = Evaluation.of(model, loss, testData, evalBatchSize);
        lastEval.put("test_loss", r.loss());
        if (testData.isClassification()) lastEval.put("test_accuracy", r.accuracy());
      }
      double evalSec = (System.nanoTime() - t0) / 1e9;
      if (type.equals("epoch")) evalSeconds.add(evalSec);
      lastEvalStep = step;
      if (metrics == null) return;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("type", type);
      row.put("step", step);
      row.put("epoch", epoch);
      row.put("loss", Double.isNaN(trainLoss) ? lastLoss : trainLoss);
      row.put("lr", lastLr);
      row.putAll(lastEval);
      if (!Double.isNaN(seconds)) {
        row.put("epoch_seconds", seconds);
        row.put("samples_per_second", samples / seconds);
      }
      row.put("eval_seconds", evalSec);
      row.put("time", elapsed());
      metrics.append(row);
    }

    private String epochLine(double seconds, long samples) {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d%s  train loss %.4f", epoch,
          epochs > 0 ? "/" + epochs : "", lastEval.getOrDefault("train_loss", Double.NaN)));
      if (lastEval.containsKey("train_accuracy")) sb.append(String.format(Locale.ROOT, " acc %.4f", lastEval.get("train_accuracy")));
      if (lastEval.containsKey("test_loss")) sb.append(String.format(Locale.ROOT, "  test loss %.4f", lastEval.get("test_loss")));
      if (lastEval.containsKey("test_accuracy")) sb.append(String.format(Locale.ROOT, " acc %.4f", lastEval.get("test_accuracy")));
      sb.append(String.format(Locale.ROOT, "  %.2f s (%.0f samples/s)", seconds, samples / seconds));
      return sb.toString();
    }

    private Progress.Snapshot snapshot() {
      double runSeconds = (System.nanoTime() - epochRunStartNanos) / 1e9;
      long total = totalSteps();
      double perStep = epochRunSteps == 0 ? Double.NaN : runSeconds / epochRunSteps;
      double eta = total > 0 ? (total - step) * perStep : Double.NaN;
      double acc = classification && epochSeen > 0 ? (double) epochCorrect / epochSeen : Double.NaN;
      return new Progress.Snapshot(epoch + 1, epochs, batchInEpoch, batches, step, total, epochLossSum / Math.max(1, batchInEpoch),
          acc, epochRunSamples / Math.max(1e-9, runSeconds), eta);
    }

    private long totalSteps() {
      long byEpochs = epochs < 0 ? -1 : (long) epochs * batches;
      if (maxSteps < 0) return byEpochs;
      return byEpochs < 0 ? maxSteps : Math.min(byEpochs, maxSteps);
    }

    private void addStepLoss(double v) {
      if (stepLossCount == stepLosses.length) stepLosses = Arrays.copyOf(stepLosses, stepLosses.length * 2);
      stepLosses[stepLossCount++] = v;
    }

    private double elapsed() {
      return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    private Map<String, Object> stepRow() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("type", "step");
      row.put("step", step);
      row.put("epoch", epoch);
      row.put("loss", lastLoss);
      row.put("lr", lastLr);
      row.put("time", elapsed());
      return row;
    }

    private Map<String, Object> divergedRow() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("type", "diverged");
      row.put("step", divergedAt);
      row.put("epoch", epoch);
      row.put("loss", lastLoss);
      row.put("last_finite_loss", lastFiniteLoss);
      row.put("lr", optimizer.lr());
      row.put("reason", stopReason);
      row.put("time", elapsed());
      return row;
    }

    // ------------------------------------------------------------------ checkpoints

    private void writeCheckpoint() throws IOException {
      Map<String, long[]> states = new LinkedHashMap<>();
      Rng order = data.rng();
      if (order != null) states.put("loader", batchInEpoch == 0 ? order.state() : epochStartRng);
      for (Map.Entry<String, Rng> e : rngs.entrySet()) states.put(e.getKey(), e.getValue().state());
      Checkpoint c = new Checkpoint(model.stateDict(), optimizer.state(), states, step, epoch, batchInEpoch,
          scheduler == null ? 0 : scheduler.time(), epochLossSum, epochCorrect, epochSeen, epochTrainSeconds,
          toArray(epochSeconds), toArray(evalSeconds), elapsed(), lastFiniteLoss);
      c.write(outDir.resolve(Checkpoint.FILE_NAME));
      checkpointStep = step;
    }

    private void restore(Checkpoint c) throws IOException {
      try {
        model.loadStateDict(c.model());
        optimizer.loadState(c.optimizer());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("checkpoint " + resumeFrom + " does not fit this model and optimizer: " + e.getMessage(), e);
      }
      if (scheduler != null) scheduler.setTime(c.schedulerTime());
      Rng order = data.rng();
      if (order != null) rngFrom(c, "loader").ifPresent(order::setState);
      for (Map.Entry<String, Rng> e : rngs.entrySet()) {
        long[] s = rngFrom(c, e.getKey()).orElseThrow(() -> new IllegalArgumentException(
            "checkpoint " + resumeFrom + " has no state for generator '" + e.getKey() + "' (has " + c.rngs().keySet() + ")"));
        e.getValue().setState(s);
      }
      if (order != null && !c.rngs().containsKey("loader")) {
        throw new IllegalArgumentException("checkpoint " + resumeFrom + " has no data loader generator state, but the loader shuffles");
      }
      if (c.batchInEpoch() >= batches) {
        throw new IllegalArgumentException("checkpoint " + resumeFrom + " was taken after batch " + c.batchInEpoch()
            + " of an epoch, but an epoch now has " + batches + " batches (different data or batch size?)");
      }
      step = c.step();
      epoch = c.epoch();
      batchInEpoch = c.batchInEpoch();
      epochLossSum = c.epochLossSum();
      epochCorrect = c.epochCorrect();
      epochSeen = c.epochSeen();
      epochTrainSeconds = c.epochTrainSeconds();
      for (double s : c.epochSeconds()) epochSeconds.add(s);
      for (double s : c.evalSeconds()) evalSeconds.add(s);
      elapsedBefore = c.elapsedSeconds();
      lastFiniteLoss = c.lastFiniteLoss();
      lastLr = optimizer.lr();
      checkpointStep = step;
      resumedFrom = resumeFrom;
      if (metrics != null) metrics.truncateAfterStep(step);
    }

    private Optional<long[]> rngFrom(Checkpoint c, String name) {
      return Optional.ofNullable(c.rngs().get(name));
    }

    // ------------------------------------------------------------------ summary and result

    private void writeSummary() throws IOException {
      AtomicFiles.writeString(outDir.resolve("summary.json"), Json.pretty(summary()));
    }

    private Map<String, Object> summary() {
      boolean running = !done;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", running ? "running" : status.label());
      if (stopReason != null) m.put("stop_reason", stopReason);
      m.put("steps", step);
      m.put("epochs", epoch);
      if (status == TrainStatus.DIVERGED) m.put("diverged_at_step", divergedAt);
      m.put("last_finite_loss", lastFiniteLoss);
      m.put("final", new LinkedHashMap<>(lastEval));
      m.put("epoch_seconds", toArray(epochSeconds));
      m.put("mean_epoch_seconds", epochSeconds.isEmpty() ? Double.NaN : epochSeconds.stream().mapToDouble(d -> d).average().orElse(Double.NaN));
      m.put("eval_seconds", toArray(evalSeconds));
      m.put("wall_seconds", elapsed());
      if (resumedFrom != null) {
        m.put("resumed_from", resumedFrom.toString());
        m.put("resumed_at_step", firstStep);
      }
      m.put("files", Map.of("metrics", MetricsLog.FILE_NAME, "checkpoint", Checkpoint.FILE_NAME));
      m.put("config", new LinkedHashMap<>(config));
      m.put("setup", setup());
      return m;
    }

    /** {@return what the trainer itself knows of the run (model, optimizer, data sizes, threads)} */
    private Map<String, Object> setup() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("model", model.toString());
      c.put("parameters", model.parameterCount());
      c.put("loss", loss.toString());
      c.put("optimizer", optimizer.toString());
      if (schedule != null) c.put("schedule_unit", scheduleUnit.name().toLowerCase(Locale.ROOT));
      c.put("batch_size", data.batchSize());
      c.put("batches_per_epoch", batches);
      c.put("epochs", epochs < 0 ? null : epochs);
      c.put("max_steps", maxSteps < 0 ? null : maxSteps);
      c.put("train_data", data.dataset().name() + " (n=" + data.dataset().size() + ")");
      c.put("test_data", testData == null ? null : testData.name() + " (n=" + testData.size() + ")");
      c.put("threads", ansatz.autograd.kernel.Parallel.threads());
      return c;
    }

    private TrainResult result() {
      return new TrainResult(status, stopReason, step, epoch, firstStep, Arrays.copyOf(stepLosses, stepLossCount),
          epochTrainLosses.stream().mapToDouble(d -> d).toArray(), Collections.unmodifiableMap(new LinkedHashMap<>(lastEval)),
          toArray(epochSeconds), divergedAt, lastFiniteLoss, (System.nanoTime() - startNanos) / 1e9,
          outDir == null || checkpointStep < 0 ? Optional.empty() : Optional.of(outDir.resolve(Checkpoint.FILE_NAME)));
    }

    // ------------------------------------------------------------------ TrainState

    @Override
    public Module model() {
      return model;
    }

    @Override
    public long step() {
      return step;
    }

    @Override
    public int epoch() {
      return epoch;
    }

    @Override
    public double lastLoss() {
      return lastLoss;
    }

    @Override
    public double learningRate() {
      return optimizer.lr();
    }

    @Override
    public Dataset trainData() {
      return data.dataset();
    }

    @Override
    public Optional<Dataset> testData() {
      return Optional.ofNullable(testData);
    }

    @Override
    public Optional<Path> outDir() {
      return Optional.ofNullable(outDir);
    }

    @Override
    public Map<String, Double> lastEvaluation() {
      return Collections.unmodifiableMap(new LinkedHashMap<>(lastEval));
    }

    @Override
    public void log(Map<String, Object> row) {
      if (metrics == null || row == null) return;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("step", step);
      r.put("epoch", epoch);
      r.putAll(row);
      metrics.append(r);
    }

    @Override
    public void requestStop(String reason) {
      stopRequested = true;
      if (status != TrainStatus.DIVERGED) {
        status = TrainStatus.STOPPED;
        stopReason = reason == null ? "stopped by a listener" : reason;
      }
    }
  }

  private static double[] toArray(List<Double> l) {
    return l.stream().mapToDouble(d -> d).toArray();
  }

  /** Collects the configuration of a {@link Trainer}. */
  public static final class Builder {
    private Module model;
    private Loss loss;
    private Optimizer optimizer;
    private Schedule schedule;
    private ScheduleUnit scheduleUnit = ScheduleUnit.EPOCH;
    private DataLoader train;
    private Dataset test;
    private int epochs = -1;
    private long maxSteps = -1;
    private final List<TrainListener> listeners = new ArrayList<>();
    private Progress progress = Progress.off();
    private Path outDir;
    private int logEverySteps;
    private int checkpointEveryEpochs = 1;
    private Path resumeFrom;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private int evalBatchSize = 1000;
    private final Map<String, Rng> rngs = new LinkedHashMap<>();
    private boolean checkParameters = true;

    private Builder() {}

    /** The network (required). @return this */
    public Builder model(Module model) {
      this.model = model;
      return this;
    }

    /** The objective (required); {@link CrossEntropyLoss} is fed class labels, others the target rows. @return this */
    public Builder loss(Loss loss) {
      this.loss = loss;
      return this;
    }

    /** The update rule (required), over the model's parameters. @return this */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /** A learning-rate schedule, advanced after every step or every epoch. @return this */
    public Builder schedule(Schedule schedule, ScheduleUnit unit) {
      if (schedule == null || unit == null) throw new IllegalArgumentException("Trainer: schedule and unit must not be null");
      this.schedule = schedule;
      this.scheduleUnit = unit;
      return this;
    }

    /** The training batches (required); seed its generator for reproducible runs. @return this */
    public Builder train(DataLoader loader) {
      this.train = loader;
      return this;
    }

    /** Data evaluated after every epoch (loss, and accuracy for classification). @return this */
    public Builder test(Dataset test) {
      this.test = test;
      return this;
    }

    /** Number of epochs (total, counting those before a resume). @return this */
    public Builder epochs(int epochs) {
      if (epochs < 1) throw new IllegalArgumentException("Trainer: epochs must be >= 1, got " + epochs);
      this.epochs = epochs;
      return this;
    }

    /** Stops after this many optimizer steps in total (also mid-epoch). @return this */
    public Builder maxSteps(long steps) {
      if (steps < 1) throw new IllegalArgumentException("Trainer: maxSteps must be >= 1, got " + steps);
      this.maxSteps = steps;
      return this;
    }

    /** Adds a listener; listeners run in the order added. @return this */
    public Builder listener(TrainListener l) {
      if (l == null) throw new IllegalArgumentException("Trainer: listener is null");
      listeners.add(l);
      return this;
    }

    /** The console display ({@link Progress#off()} by default). @return this */
    public Builder progress(Progress p) {
      if (p == null) throw new IllegalArgumentException("Trainer: progress is null (use Progress.off())");
      this.progress = p;
      return this;
    }

    /** Writes metrics.jsonl, summary.json and checkpoint.npz into {@code dir} (created if needed). @return this */
    public Builder outDir(Path dir) {
      this.outDir = dir;
      return this;
    }

    /** Also logs a metrics row every {@code k} steps (0 = epoch rows only, the default). @return this */
    public Builder logEverySteps(int k) {
      if (k < 0) throw new IllegalArgumentException("Trainer: logEverySteps must be >= 0, got " + k);
      this.logEverySteps = k;
      return this;
    }

    /**
     * Checkpoints every {@code k} epochs (default 1; 0 = only at the end) when there is an output
     * directory. A final checkpoint is always written unless training diverged. @return this
     */
    public Builder checkpointEveryEpochs(int k) {
      if (k < 0) throw new IllegalArgumentException("Trainer: checkpointEveryEpochs must be >= 0, got " + k);
      this.checkpointEveryEpochs = k;
      return this;
    }

    /** Continues from a checkpoint written by an earlier run of the same configuration. @return this */
    public Builder resumeFrom(Path checkpoint) {
      this.resumeFrom = checkpoint;
      return this;
    }

    /**
     * Records a configuration value under "config" in summary.json (e.g. the command line options;
     * what the trainer knows itself goes under "setup"). @return this
     */
    public Builder config(String key, Object value) {
      config.put(key, value);
      return this;
    }

    /** Rows per chunk when evaluating (default 1000). @return this */
    public Builder evalBatchSize(int rows) {
      if (rows < 1) throw new IllegalArgumentException("Trainer: evalBatchSize must be >= 1, got " + rows);
      this.evalBatchSize = rows;
      return this;
    }

    /** Registers another generator used during training (dropout, noise) so checkpoints save and restore it. @return this */
    public Builder rng(String name, Rng rng) {
      if (name == null || name.isEmpty() || name.equals("loader") || rng == null) {
        throw new IllegalArgumentException("Trainer.rng: need a non-empty name other than 'loader' and a generator");
      }
      rngs.put(name, rng);
      return this;
    }

    /** Turns the scan of the parameters for NaN/infinity after every step on or off (default on). @return this */
    public Builder checkParameters(boolean on) {
      this.checkParameters = on;
      return this;
    }

    /** {@return the trainer, after checking the configuration} */
    public Trainer build() {
      List<String> missing = new ArrayList<>();
      if (model == null) missing.add("model");
      if (loss == null) missing.add("loss");
      if (optimizer == null) missing.add("optimizer");
      if (train == null) missing.add("train");
      if (!missing.isEmpty()) throw new IllegalArgumentException("Trainer: missing " + String.join(", ", missing));
      if (epochs < 0 && maxSteps < 0) throw new IllegalArgumentException("Trainer: set epochs or maxSteps (or both)");
      if (train.batchesPerEpoch() == 0) {
        throw new IllegalArgumentException("Trainer: the training loader yields no batch (" + train.dataset().size()
            + " samples, batch size " + train.batchSize() + ", dropLast " + train.dropLast() + ")");
      }
      if (loss instanceof CrossEntropyLoss && !train.dataset().isClassification()) {
        throw new IllegalArgumentException("Trainer: cross-entropy needs class labels, but '" + train.dataset().name()
            + "' is a regression data set (use MSE)");
      }
      if (test != null) {
        int[] a = train.dataset().inputs().shape(), b = test.inputs().shape();
        if (!Arrays.equals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(b, 1, b.length))) {
          throw new IllegalArgumentException("Trainer: test inputs " + Arrays.toString(b) + " do not match training inputs "
              + Arrays.toString(a) + " beyond the first axis");
        }
        if (loss instanceof CrossEntropyLoss && !test.isClassification()) {
          throw new IllegalArgumentException("Trainer: cross-entropy needs class labels, but the test set '" + test.name() + "' has none");
        }
      }
      return new Trainer(this);
    }
  }
}
