package ansatz.nn;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.init.Init;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsTest {
  @Test
  void mlpAlternatesLinearAndActivationWithNoActivationAtTheEnd() {
    Sequential m = Models.mlp(new int[] {5, 7, 6, 2}, Activation.GELU, true, Init.kaimingNormal(), new Rng(1));
    assertEquals(5, m.size());
    assertInstanceOf(Linear.class, m.get(0));
    assertInstanceOf(GELU.class, m.get(1));
    assertInstanceOf(Linear.class, m.get(4));
    List<Linear> layers = Models.linearLayers(m);
    assertEquals(3, layers.size());
    assertEquals(7, layers.get(0).outFeatures());
    assertEquals(6, layers.get(2).inFeatures());
    assertArrayEquals(new int[] {3, 2}, m.call(Tensor.zeros(3, 5)).shape());
  }

  @Test
  void sameSeedSameModel() {
    Sequential a = Models.mlp(new int[] {4, 8, 3}, Activation.RELU, false, new Rng(7));
    Sequential b = Models.mlp(new int[] {4, 8, 3}, Activation.RELU, false, new Rng(7));
    for (String k : a.stateDict().keySet()) assertClose(a.stateDict().get(k), b.stateDict().get(k), 0, k);
  }

  @Test
  void ntkMlpUsesNtkLayers() {
    Sequential m = Models.ntkMlp(new int[] {4, 8, 1}, Activation.RELU, false, new Rng(0));
    for (Linear l : Models.linearLayers(m)) assertEquals(Parameterization.NTK, l.parameterization());
    assertThrows(IllegalArgumentException.class, () -> Models.mlp(new int[] {4}, Activation.RELU, false, new Rng(0)));
  }
}
