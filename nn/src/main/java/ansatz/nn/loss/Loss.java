package ansatz.nn.loss;

import ansatz.autograd.Tensor;

/** A training objective: a scalar tensor from predictions and targets, differentiable in the predictions. */
@FunctionalInterface
public interface Loss {
  /**
   * @param prediction the model output, e.g. shape (n, c)
   * @param target what it should be (meaning depends on the loss)
   * @return a scalar (shape []) tensor
   */
  Tensor apply(Tensor prediction, Tensor target);
}
