package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import java.util.Map;

/** Shared plumbing of the probes' forward passes: evaluation mode, input preparation, output checks. */
final class ProbeForward {
  private ProbeForward() {}

  /**
   * Runs {@code body} with every module in evaluation mode and grad recording on, then restores
   * each module's own training flag.
   */
  static <T> T inEvalMode(Module model, java.util.function.Supplier<T> body) {
    Map<Module, Boolean> flags = new java.util.LinkedHashMap<>();
    for (Module m : model.namedModules().values()) flags.put(m, m.isTraining());
    model.eval();
    try (Grad.Scope on = Grad.enabled()) {
      return body.get();
    } finally {
      // namedModules lists parents before children, and train(flag) also sets the descendants,
      // so restoring in this order leaves every module with its own flag.
      for (Map.Entry<Module, Boolean> e : flags.entrySet()) e.getKey().train(e.getValue());
    }
  }

  /** {@return the dtype of the model's first parameter (float32 if it has none)} */
  static DType modelDType(Module model) {
    return model.parameters().isEmpty() ? DType.FLOAT32 : model.parameters().get(0).dtype();
  }

  /** {@return a fresh leaf copy of {@code x} in {@code dtype} that requires grad (so every activation does)} */
  static Tensor leafInput(Tensor x, DType dtype) {
    try (Grad.Scope off = Grad.disabled()) {
      return x.detach().to(dtype).copyData().requiresGrad(true);
    }
  }

  /** {@return the model output viewed as (batch, c)} */
  static Tensor outputMatrix(String who, Tensor f, int batch) {
    if (f.dim() == 0 || f.size(0) != batch) {
      throw new IllegalStateException(who + ": the model output has shape " + Shape.str(f.shape()) + ", expected a first axis of "
          + batch + " samples");
    }
    if (!f.requiresGrad()) throw new IllegalStateException(who + ": the model output does not depend on anything that requires grad");
    return f.reshape(batch, f.numel() / Math.max(batch, 1));
  }

  /** {@return the seed selecting output k of a (batch, c) output: a one-hot column} */
  static Tensor seed(DType dtype, int batch, int c, int k) {
    Tensor s = Tensor.zeros(dtype, batch, c);
    if (dtype == DType.FLOAT64) {
      double[] a = s.doubles();
      for (int i = 0; i < batch; i++) a[i * c + k] = 1;
    } else {
      float[] a = s.floats();
      for (int i = 0; i < batch; i++) a[i * c + k] = 1;
    }
    return s;
  }
}
