package ansatz.instrument.record;

import ansatz.autograd.Tensor;
import ansatz.autograd.io.NdArray;
import ansatz.autograd.io.Npz;
import ansatz.instrument.math.Products;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code snapshots/<tag>.npz}: the arrays of a probe, in the order they are added, written
 * atomically ({@link Npz#write}). Tags name when: {@code epoch-0003} (after epoch 3),
 * {@code step-000120} (after step 120); epoch 0 / step 0 is the initialization. Keys:
 * {@code param.<name>}, {@code init.<name>}, {@code probe.inputs}, {@code probe.targets},
 * {@code probe.indices} and per layer {@code <layer>.nfm}, {@code <layer>.agop} (dense),
 * {@code <layer>.patch_agop} (conv), {@code <layer>.ptf_k}, optionally {@code <layer>.ptk_gram},
 * the gradient-centered {@code <layer>.agop_grad_centered} / {@code <layer>.patch_agop_grad_centered}
 * / {@code <layer>.ptf_k_grad_centered}, and {@code <layer>.nfm_init_removed}.
 */
final class Snapshot {
  static final String DIR = "snapshots";
  private final Map<String, NdArray> arrays = new LinkedHashMap<>();

  /** {@return the tag for a probe after {@code n} epochs or steps} */
  static String tag(ProbeConfig.Unit unit, long n) {
    return unit == ProbeConfig.Unit.EPOCHS ? String.format(Locale.ROOT, "epoch-%04d", n) : String.format(Locale.ROOT, "step-%06d", n);
  }

  /** Adds a tensor as it is (float32 or float64). */
  void put(String key, Tensor t) {
    if (arrays.containsKey(key)) throw new IllegalStateException("snapshot: duplicate key '" + key + "'");
    arrays.put(key, NdArray.of(t.detach().contiguous()));
  }

  /** Adds a float64 matrix rounded to float32 (halves the files; 7 significant digits). */
  void putMatrix(String key, Tensor t, boolean keepFloat64) {
    // Rounded by Products' own loop rather than the tensors' generic conversion, which training
    // never runs from float64 (the first snapshot would have the JIT recompile it mid-run).
    put(key, keepFloat64 ? t.toFloat64() : Tensor.wrap(Products.values32(t), t.shape()));
  }

  /** Adds integer indices. */
  void put(String key, long[] values) {
    arrays.put(key, NdArray.of(values, values.length));
  }

  /** {@return the keys added so far} */
  java.util.Set<String> keys() {
    return arrays.keySet();
  }

  /** Writes {@code <runDir>/snapshots/<tag>.npz}. @return its path */
  Path write(Path runDir, String tag, boolean compressed) throws IOException {
    Path dir = runDir.resolve(DIR);
    Files.createDirectories(dir);
    Path file = dir.resolve(tag + ".npz");
    Npz.write(file, arrays, compressed);
    return file;
  }
}
