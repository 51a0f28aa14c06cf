package ansatz.nn;

import ansatz.autograd.Tensor;

/**
 * Runs before a module's {@code forward}; see {@link Module#registerForwardPreHook}.
 * As PyTorch's {@code register_forward_pre_hook}.
 */
@FunctionalInterface
public interface ForwardPreHook {
  /**
   * @param module the module about to run
   * @param input its input (possibly already replaced by an earlier pre-hook)
   * @return a replacement input, or null to keep {@code input}
   */
  Tensor apply(Module module, Tensor input);
}
