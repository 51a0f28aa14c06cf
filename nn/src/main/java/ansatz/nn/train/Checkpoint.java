package ansatz.nn.train;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.NdArray;
import ansatz.autograd.io.NpyType;
import ansatz.autograd.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a training run bitwise as if it had never stopped, stored as one
 * NumPy {@code .npz} archive (written atomically: readers see the old file or the new one).
 *
 * <p>Entries: {@code model.<name>} (the state dict, dtype kept), {@code optim.<key>} (the
 * optimizer's {@link ansatz.nn.optim.Optimizer#state()}), {@code rng.<name>} (int64[4] generator
 * states; {@code rng.loader} is the data loader's generator as it was <em>before</em> it drew the
 * current epoch's order, so that a run stopped mid-epoch redraws the same order), and
 * {@code trainer.<field>} for the counters below. numpy reads it with {@code np.load}.
 *
 * @param model the model's state dict
 * @param optimizer the optimizer's state
 * @param rngs generator states by name
 * @param step optimizer steps taken
 * @param epoch completed epochs
 * @param batchInEpoch batches of the current epoch already trained on (0 at an epoch boundary)
 * @param schedulerTime the learning-rate scheduler's time (0 without a schedule)
 * @param epochLossSum sum of the current epoch's step losses so far
 * @param epochCorrect correct training predictions in the current epoch so far (classification)
 * @param epochSeen training samples seen in the current epoch so far
 * @param epochTrainSeconds training time spent in the current epoch so far
 * @param epochSeconds training wall time of every completed epoch
 * @param evalSeconds evaluation wall time after every completed epoch
 * @param elapsedSeconds wall time of the whole run so far
 * @param lastFiniteLoss the most recent finite step loss (NaN before the first step)
 */
public record Checkpoint(
    Map<String, Tensor> model,
    Map<String, Tensor> optimizer,
    Map<String, long[]> rngs,
    long step,
    int epoch,
    int batchInEpoch,
    long schedulerTime,
    double epochLossSum,
    long epochCorrect,
    long epochSeen,
    double epochTrainSeconds,
    double[] epochSeconds,
    double[] evalSeconds,
    double elapsedSeconds,
    double lastFiniteLoss) {

  /** The file name the trainer uses inside a run directory. */
  public static final String FILE_NAME = "checkpoint.npz";

  /** Writes the archive atomically (uncompressed: weights barely compress, and it is faster). */
  public void write(Path path) throws IOException {
    Map<String, NdArray> a = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : model.entrySet()) a.put("model." + e.getKey(), NdArray.of(e.getValue()));
    for (Map.Entry<String, Tensor> e : optimizer.entrySet()) a.put("optim." + e.getKey(), NdArray.of(e.getValue()));
    for (Map.Entry<String, long[]> e : rngs.entrySet()) a.put("rng." + e.getKey(), NdArray.of(e.getValue().clone(), e.getValue().length));
    a.put("trainer.step", NdArray.of(new long[] {step}));
    a.put("trainer.epoch", NdArray.of(new long[] {epoch}));
    a.put("trainer.batch_in_epoch", NdArray.of(new long[] {batchInEpoch}));
    a.put("trainer.scheduler_time", NdArray.of(new long[] {schedulerTime}));
    a.put("trainer.epoch_loss_sum", NdArray.of(new double[] {epochLossSum}));
    a.put("trainer.epoch_correct", NdArray.of(new long[] {epochCorrect}));
    a.put("trainer.epoch_seen", NdArray.of(new long[] {epochSeen}));
    a.put("trainer.epoch_train_seconds", NdArray.of(new double[] {epochTrainSeconds}));
    a.put("trainer.epoch_seconds", NdArray.of(epochSeconds.clone(), epochSeconds.length));
    a.put("trainer.eval_seconds", NdArray.of(evalSeconds.clone(), evalSeconds.length));
    a.put("trainer.elapsed_seconds", NdArray.of(new double[] {elapsedSeconds}));
    a.put("trainer.last_finite_loss", NdArray.of(new double[] {lastFiniteLoss}));
    Npz.write(path, a, false);
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws IOException naming the file for a missing, corrupt or incomplete checkpoint
   */
  public static Checkpoint read(Path path) throws IOException {
    Map<String, NdArray> a = Npz.read(path);
    Map<String, Tensor> model = new LinkedHashMap<>(), optim = new LinkedHashMap<>();
    Map<String, long[]> rngs = new LinkedHashMap<>();
    Map<String, NdArray> trainer = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray> e : a.entrySet()) {
      String k = e.getKey();
      NdArray v = e.getValue();
      if (k.startsWith("model.")) {
        model.put(k.substring(6), floats(path, k, v));
      } else if (k.startsWith("optim.")) {
        optim.put(k.substring(6), floats(path, k, v));
      } else if (k.startsWith("rng.")) {
        if (v.type() != NpyType.INT64 || v.numel() != 4) throw new IOException(path + ": '" + k + "' is not an int64[4] generator state");
        rngs.put(k.substring(4), v.longs().clone());
      } else if (k.startsWith("trainer.")) {
        trainer.put(k.substring(8), v);
      } else {
        throw new IOException(path + ": unexpected entry '" + k + "' (not a checkpoint written by the Trainer?)");
      }
    }
    if (model.isEmpty()) throw new IOException(path + ": no model.* entries (not a checkpoint written by the Trainer?)");
    return new Checkpoint(model, optim, rngs,
        scalar(path, trainer, "step").longValue(),
        scalar(path, trainer, "epoch").intValue(),
        scalar(path, trainer, "batch_in_epoch").intValue(),
        scalar(path, trainer, "scheduler_time").longValue(),
        scalar(path, trainer, "epoch_loss_sum").doubleValue(),
        scalar(path, trainer, "epoch_correct").longValue(),
        scalar(path, trainer, "epoch_seen").longValue(),
        scalar(path, trainer, "epoch_train_seconds").doubleValue(),
        vector(path, trainer, "epoch_seconds"),
        vector(path, trainer, "eval_seconds"),
        scalar(path, trainer, "elapsed_seconds").doubleValue(),
        scalar(path, trainer, "last_finite_loss").doubleValue());
  }

  private static Tensor floats(Path path, String key, NdArray v) throws IOException {
    if (!v.type().isFloat()) throw new IOException(path + ": '" + key + "' holds " + v.type() + ", expected float32 or float64");
    return v.toTensor();
  }

  private static Number scalar(Path path, Map<String, NdArray> t, String key) throws IOException {
    NdArray v = t.get(key);
    if (v == null) throw new IOException(path + ": missing entry 'trainer." + key + "' (incomplete or foreign checkpoint)");
    if (v.numel() != 1) throw new IOException(path + ": 'trainer." + key + "' has " + v.numel() + " values, expected 1");
    return switch (v.type()) {
      case INT64 -> v.longs()[0];
      case INT32 -> v.ints()[0];
      default -> v.getDouble(0);
    };
  }

  private static double[] vector(Path path, Map<String, NdArray> t, String key) throws IOException {
    NdArray v = t.get(key);
    if (v == null) throw new IOException(path + ": missing entry 'trainer." + key + "' (incomplete or foreign checkpoint)");
    double[] out = new double[v.numel()];
    for (int i = 0; i < out.length; i++) out[i] = v.getDouble(i);
    return out;
  }
}
