package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Tensor;
import ansatz.docs.Samples;
import ansatz.instrument.Nfa;
import ansatz.instrument.NfaVariant;
import ansatz.instrument.record.FeatureProbes;
import org.junit.jupiter.api.Test;

/**
 * Runs the sample of docs/tutorial/06-agop-nfa.md: the AGOP and NFA computed by hand equal the
 * instrument module's, and training on x1 x2 from small initialization raises the NFA.
 */
class FeatureLearningTest {
  private static FeatureLearning.Results results() {
    return Samples.run(FeatureLearning.class, "agopAndNfa").as();
  }

  private static double maxAbs(Tensor t) {
    return t.abs().max().item();
  }

  @Test
  void handAgopEqualsChainRuleAgop() {
    FeatureLearning.Results r = results();
    assertEquals(10, r.agopByHand().size(0));
    assertTrue(maxAbs(r.agopByHand()) > 1e-3, "a trained network has a non-trivial AGOP");
    double gap = maxAbs(r.agopByHand().sub(r.agopInstrument()));
    assertTrue(gap <= 1e-10, "max |hand - ChainRuleAgop| = " + gap);
  }

  @Test
  void directAndChainRuleFormsAgreeOnTheHiddenLayer() {
    FeatureLearning.Results r = results();
    double gap = maxAbs(r.hiddenDirect().sub(r.hiddenChainRule()));
    assertTrue(gap <= 1e-10 * maxAbs(r.hiddenDirect()), "max |direct - W^T K W| = " + gap);
  }

  @Test
  void handNfaEqualsWhatTheProbeRecorded() {
    FeatureLearning.Results r = results();
    assertEquals(r.nfaProbe(), r.nfaByHand(), 1e-10);
    assertEquals(r.nfaProbe(), r.nfaMeasured(), 1e-10);
  }

  @Test
  void trainingRaisesTheFirstLayersNfaAboveItsBaseline() {
    // DEFINITIONS.md claim 4 at toy size: pearson(NFM, AGOP^1/2) high after training, above init.
    FeatureProbes p = results().probes();
    String v = NfaVariant.DEFAULT.label();
    double init = p.history().get(0).value("0", Nfa.NFA, v), trained = p.latest().value("0", Nfa.NFA, v);
    assertTrue(trained >= 0.9 && trained > init + 0.05, "layer 0 NFA " + init + " -> " + trained);
    assertEquals(3, p.history().size(), "probes at init, epoch 20 and epoch 40");
  }

  @Test
  void everyVariantIsNamed() {
    long nfaRows = results().measurements().stream().filter(m -> m.quantity().equals(Nfa.NFA)).count();
    assertEquals(8, nfaRows, "pearson/cosine x alpha 1/2, 1 x plain/init-removed");
  }
}
