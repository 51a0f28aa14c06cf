package ansatz.instrument.record;

import ansatz.autograd.Grad;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.data.Dataset;
import ansatz.nn.io.Json;
import ansatz.nn.train.TrainListener;
import ansatz.nn.train.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written full-batch-slices SGD loop on MSE that drives listeners exactly as the TrainListener
 * contract says, so the probes can be tested without the trainer. Rows go to {@code metrics.jsonl}
 * and to {@link #rows}.
 */
final class ManualTraining implements TrainState {
  final Module model;
  final Dataset data;
  final Path outDir;
  final List<Map<String, Object>> rows = new ArrayList<>();
  long step;
  int epoch;
  double lastLoss = Double.NaN;

  ManualTraining(Module model, Dataset data, Path outDir) {
    this.model = model;
    this.data = data;
    this.outDir = outDir;
  }

  /** Runs {@code epochs} epochs of {@code batches} consecutive slices each, SGD with rate {@code lr}. */
  void run(TrainListener listener, int epochs, int batches, double lr) {
    listener.onTrainStart(this);
    int n = data.size(), b = n / batches;
    for (int e = 0; e < epochs; e++) {
      for (int k = 0; k < batches; k++) {
        model.zeroGrad();
        Tensor x = data.inputs().narrow(0, k * b, b), y = data.targets().narrow(0, k * b, b);
        Tensor loss = model.call(x).sub(y).square().mean();
        loss.backward();
        try (Grad.Scope off = Grad.disabled()) {
          for (Parameter p : model.parameters()) p.tensor().addInPlace(p.grad(), -lr);
        }
        lastLoss = loss.item();
        step++;
        listener.onStepEnd(this);
      }
      epoch++;
      listener.onEpochEnd(this);
    }
    listener.onTrainEnd(this);
  }

  @Override public Module model() { return model; }
  @Override public long step() { return step; }
  @Override public int epoch() { return epoch; }
  @Override public double lastLoss() { return lastLoss; }
  @Override public double learningRate() { return 0; }
  @Override public Dataset trainData() { return data; }
  @Override public Optional<Dataset> testData() { return Optional.empty(); }
  @Override public Optional<Path> outDir() { return Optional.ofNullable(outDir); }
  @Override public Map<String, Double> lastEvaluation() { return Map.of(); }

  @Override
  public void log(Map<String, Object> row) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("step", step);
    r.put("epoch", epoch);
    r.putAll(row);
    rows.add(r);
    if (outDir == null) return;
    try {
      Files.writeString(outDir.resolve("metrics.jsonl"), Json.write(r) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void requestStop(String reason) {
    throw new UnsupportedOperationException(reason);
  }
}
