package ansatz.nn.rfm;

import ansatz.autograd.Tensor;
import java.util.List;

/**
 * The outcome of {@link Rfm#fit}.
 *
 * @param iterations T + 1 fits: with M_0 = I, M_1, ..., M_T (the last is the final refit)
 * @param metrics M_0 ... M_T as float64 d x d tensors if history was kept, else only M_T
 * @param predictor the final kernel machine, fitted with M_T
 */
public record RfmResult(List<RfmIteration> iterations, List<Tensor> metrics, KernelPredictor predictor) {
  /** {@return the learned feature matrix M_T (float64 d x d)} */
  public Tensor metric() {
    return predictor.metric();
  }

  /** {@return the scores of the final refit} */
  public RfmIteration last() {
    return iterations.get(iterations.size() - 1);
  }
}
