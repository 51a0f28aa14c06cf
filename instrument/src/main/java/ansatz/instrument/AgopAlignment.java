package ansatz.instrument;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Correlation;
import java.util.ArrayList;
import java.util.List;

/**
 * Alignment of a model's AGOP with a reference AGOP (DEFINITIONS.md section 7): the true
 * predictor's ({@code Dataset.trueAgop()}, e.g. diag(1, 1, 0, ...) for x1*x2) or another model's.
 * Reported as both correlations; the cosine is the papers' "AGOP alignment".
 */
public final class AgopAlignment {
  /** the quantity name in outputs */
  public static final String QUANTITY = "agop_alignment";

  private AgopAlignment() {}

  /**
   * @param layer the name written with the result (e.g. {@code "model"} or the first layer's name)
   * @param agop the model's AGOP (d x d)
   * @param reference the reference AGOP (d x d)
   * @param gradCentered whether {@code agop} was gradient-centered (recorded in the variant)
   * @return cosine and pearson correlations, baselines NaN
   */
  public static List<Measurement> measure(String layer, Tensor agop, Tensor reference, boolean gradCentered) {
    if (!Shape.same(agop.shape(), reference.shape())) {
      throw new IllegalArgumentException("AGOP alignment: the model's AGOP has shape " + Shape.str(agop.shape())
          + " but the reference has " + Shape.str(reference.shape()));
    }
    // Both correlations of the one pair from one summary of each matrix and one pass over both.
    double[] both = Correlation.both(Correlation.Entries.of(agop), Correlation.Entries.of(reference));
    List<Measurement> out = new ArrayList<>();
    for (Correlation rho : new Correlation[] {Correlation.COSINE, Correlation.PEARSON}) {
      out.add(new Measurement(layer, QUANTITY, new NfaVariant(rho, 1, false, gradCentered), both[rho.ordinal()], Double.NaN));
    }
    return out;
  }
}
