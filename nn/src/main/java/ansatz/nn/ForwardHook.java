package ansatz.nn;

import ansatz.autograd.Tensor;

/**
 * Runs after a module's {@code forward}; see {@link Module#registerForwardHook}.
 * As PyTorch's {@code register_forward_hook}.
 *
 * <p>On a {@link Linear} layer this sees exactly the two quantities the AGOP/NFA probes need: the
 * layer input h_l and the pre-activation z_l = h_l W^T (+ b).
 */
@FunctionalInterface
public interface ForwardHook {
  /**
   * @param module the module that ran
   * @param input the input forward received (after the pre-hooks)
   * @param output its output (possibly already replaced by an earlier forward hook)
   * @return a replacement output, or null to keep {@code output}
   */
  Tensor apply(Module module, Tensor input, Tensor output);
}
