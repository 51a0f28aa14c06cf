package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Tensor;
import ansatz.docs.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the samples of docs/tutorial/05-hooks.md. */
class HooksTest {
  @Test
  void hooksRunInPyTorchsOrderAndStopWhenClosed() {
    List<String> events = Samples.run(Hooks.class, "order").as();
    assertEquals(List.of(
        "pre-hook:      input [5, 3]",
        "forward hook:  h [5, 3] -> z [5, 4]",
        "forward done",
        "backward hook: dL/dh [5, 3], dL/dz [5, 4]",
        "backward done"), events, "the call after close() must add no event");
  }

  @Test
  void forwardHookSeesInputAndPreActivation() {
    Tensor[] hz = Samples.run(Hooks.class, "capture").as();
    assertArrayEquals(new int[] {5, 4}, hz[0].shape());
    assertArrayEquals(new int[] {5, 2}, hz[1].shape());
    assertTrue(Samples.run(Hooks.class, "capture").printed().contains("z == h W^T: true"));
  }

  @Test
  void replacementsChangeOutputAndGradient() {
    Tensor[] t = Samples.run(Hooks.class, "replace").as();
    Tensor gradX = t[0], gradW = t[1], y = t[2], plain = t[3];
    assertEquals(0.0, gradX.abs().max().item(), "the backward hook zeroed dL/dx");
    assertTrue(gradW.abs().max().item() > 0, "the weight's gradient comes from dL/dz, which the hook did not touch");
    assertArrayEquals(plain.mul(2).toFloatArray(), y.toFloatArray(), "the pre-hook doubled the last layer's input");
  }
}
