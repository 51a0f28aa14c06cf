package ansatz.nn.rfm;

import ansatz.autograd.Tensor;
import java.util.List;

/**
 * The outcome of {@link DeepRfm#fit}: per-layer metrics and the fitted layers, which
 * {@link #transform} applies to new data.
 *
 * @param layers metrics of each layer
 * @param features the last layer's mapped training features (n x width, the input's type)
 * @param model the fitted layers
 */
public record DeepRfmResult(List<DeepRfmLayer> layers, Tensor features, DeepRfm.Model model) {
  /** {@return the features of new points after all layers (rows normalized, projected, mapped)} */
  public Tensor transform(Tensor x) {
    return model.transform(x);
  }
}
