package ansatz.nn;

import ansatz.autograd.Tensor;

/**
 * Sees the gradients of the loss with respect to a module's input and output during backward; see
 * {@link Module#registerFullBackwardHook}. As PyTorch's {@code register_full_backward_hook}, with
 * one tensor instead of tuples because Ansatz modules map one tensor to one tensor.
 */
@FunctionalInterface
public interface BackwardHook {
  /**
   * @param module the module
   * @param gradInput d loss / d input of this call (possibly replaced by an earlier backward hook)
   * @param gradOutput d loss / d output of this call
   * @return a replacement for {@code gradInput} (same shape), which is what flows on to the layers
   *     before this one; or null to keep it
   */
  Tensor apply(Module module, Tensor gradInput, Tensor gradOutput);
}
