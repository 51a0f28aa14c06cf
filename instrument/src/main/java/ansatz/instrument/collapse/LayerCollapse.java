package ansatz.instrument.collapse;

import ansatz.autograd.Tensor;
import ansatz.nn.Module;
import ansatz.nn.metrics.NeuralCollapse;

/**
 * Neural collapse of one layer's features in a model: captures the input or output of
 * {@code module} on the given samples and computes NC1, NC1-pinv and NC2 (DEFINITIONS.md section 6).
 * This is what a probe calls for "NC1 of layer l".
 */
public final class LayerCollapse {
  /** Rows per forward call when capturing. */
  public static final int DEFAULT_BATCH = 512;

  private LayerCollapse() {}

  /**
   * @param model the network to run
   * @param module the layer whose features are measured (a descendant of {@code model})
   * @param side its input or its output
   * @param inputs the samples
   * @param labels their classes
   * @param numClasses K
   */
  public static NeuralCollapse.Stats measure(Module model, Module module, FeatureRecorder.Side side, Tensor inputs, int[] labels, int numClasses) {
    return NeuralCollapse.of(FeatureRecorder.capture(model, module, side, inputs, DEFAULT_BATCH), labels, numClasses);
  }
}
