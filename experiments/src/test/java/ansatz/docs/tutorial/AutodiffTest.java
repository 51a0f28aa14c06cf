package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Tensor;
import ansatz.docs.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the samples of docs/tutorial/02-autodiff.md and checks their gradients against hand formulas. */
class AutodiffTest {
  @Test
  void reluMatmulGradientIsXTransposedTimesTheMask() {
    Tensor[] t = Samples.run(Autodiff.class, "firstBackward").as();
    Tensor x = t[0], w = t[1], z = t[2];
    // loss = sum relu(x w): d loss / d w[i][j] = sum_n x[n][i] * [z[n][j] > 0]
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double g = 0;
        for (int n = 0; n < 2; n++) g += x.get(n, i) * (z.get(n, j) > 0 ? 1 : 0);
        assertEquals(g, w.grad().get(i, j), 1e-6, "dw[" + i + "][" + j + "]");
      }
    }
    assertNull(x.grad(), "x did not require grad");
    assertTrue(z.requiresGrad() && !z.isLeaf());
  }

  @Test
  void broadcastGradientIsSummedOverTheBroadcastAxis() {
    Tensor[] t = Samples.run(Autodiff.class, "broadcastGradient").as();
    assertArrayEquals(new float[] {18, 24}, t[0].toFloatArray());   // 2 (1+3+5), 2 (2+4+6)
    assertArrayEquals(t[0].toFloatArray(), t[1].toFloatArray());
  }

  @Test
  void changingASavedTensorIsAnError() {
    String message = Samples.run(Autodiff.class, "savedForBackward").as();
    assertNotNull(message, "backward must refuse a graph whose tensors were modified in place");
    assertTrue(message.contains("modified in place"), message);
  }

  @Test
  void retainedGraphRunsTwiceThenIsFreed() {
    String message = Samples.run(Autodiff.class, "retainGraph").as();
    assertNotNull(message);
    assertTrue(message.contains("freed"), message);
    assertTrue(Samples.run(Autodiff.class, "retainGraph").printed().contains("tensor([12.]"));
  }

  @Test
  void functionalGradOfAnIntermediateTensor() {
    Tensor[] t = Samples.run(Autodiff.class, "functionalGrad").as();
    Tensor h = t[0], gh = t[1], gw = t[2];
    for (int j = 0; j < 2; j++) {
      double th = Math.tanh(h.get(0, j));
      assertEquals(1 - th * th, gh.get(0, j), 1e-6);
    }
    // d out / d w = x^T (d out / d h), x = [1, 2, 3]
    for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) assertEquals((i + 1) * gh.get(0, j), gw.get(i, j), 1e-6);
  }

  @Test
  void hooksSeeAndReplaceGradients() {
    List<String> seen = Samples.run(Autodiff.class, "tensorHooks").as();
    assertEquals(2, seen.size());
    assertTrue(seen.get(0).startsWith("h: tensor([6., 12.]"), seen.get(0));   // d/dh h^2 = 2h = 2 * 3w
    assertTrue(seen.get(1).startsWith("w: tensor([4., 4.]"), seen.get(1));    // 18w = [18, 36], clamped to 4
  }

  @Test
  void noGradScopeRecordsNothing() {
    Tensor y = Samples.run(Autodiff.class, "noGrad").as();
    assertFalse(y.requiresGrad());
    assertArrayEquals(new float[] {2, 2}, y.toFloatArray());
  }
}
