package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ansatz.autograd.Autograd;
import ansatz.autograd.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward values and input gradients against PyTorch 1.13 (fixtures written by
 * {@code autograd/src/test/python/golden_conv.py}; float64; see that script for the file layout).
 */
class ConvGoldenTest {
  private static final double TOL = 1e-12;

  @ParameterizedTest
  @ValueSource(strings = {"unfold_a", "unfold_b"})
  void im2colMatchesTorchUnfold(String name) {
    check(name, (x, p) -> x.im2col(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fold_a", "fold_b"})
  void col2imMatchesTorchFold(String name) {
    check(name, (x, p) -> x.col2im(p[8], p[9], p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"maxpool_a", "maxpool_b", "maxpool_ties"})
  void maxPool2dMatchesTorch(String name) {
    check(name, (x, p) -> x.maxPool2d(p[0], p[1], p[2], p[3], p[4], p[5]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"avgpool_a", "avgpool_b"})
  void avgPool2dMatchesTorch(String name) {
    check(name, (x, p) -> x.avgPool2d(p[0], p[1], p[2], p[3], p[4], p[5]));
  }

  /** Runs op on NAME_x with NAME_params; compares the output with NAME_y and the VJP of NAME_gy with NAME_gx. */
  private static void check(String name, BiFunction<Tensor, int[], Tensor> op) {
    double[] pd = load(name, "params").toDoubleArray();
    int[] params = new int[pd.length];
    for (int i = 0; i < pd.length; i++) params[i] = (int) pd[i];
    Tensor x = load(name, "x").requiresGrad(true);
    Tensor y = op.apply(x, params);
    Tensor wantY = load(name, "y");
    assertArrayEquals(wantY.shape(), y.shape(), name + ": output shape");
    assertArrayEquals(wantY.toDoubleArray(), y.toDoubleArray(), TOL, name + ": forward");
    Tensor gx = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, new Tensor[] {load(name, "gy")}, false)[0];
    assertArrayEquals(load(name, "gx").toDoubleArray(), gx.toDoubleArray(), TOL, name + ": gradient");
  }

  private static Tensor load(String name, String part) {
    String resource = "golden/conv/" + name + "_" + part + ".npy";
    try (java.io.InputStream in = ConvGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new AssertionError("missing test resource " + resource);
      return ansatz.autograd.io.Npy.read(in, resource).toTensor();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
