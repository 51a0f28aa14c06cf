package ansatz.nn;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.testing.GradCheck;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConvLayerTest {
  /** Direct 7-loop convolution as the reference. */
  private static double[] naiveConv(Tensor x, Tensor w, Tensor b, int stride, int pad, double scale) {
    int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), kh = w.size(2), kw = w.size(3);
    int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
    double[] out = new double[n * o * oh * ow];
    for (int i = 0; i < n; i++)
      for (int f = 0; f < o; f++)
        for (int r = 0; r < oh; r++)
          for (int s = 0; s < ow; s++) {
            double acc = 0;
            for (int ch = 0; ch < c; ch++)
              for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++) {
                  int y = r * stride - pad + p, z = s * stride - pad + q;
                  if (y >= 0 && y < h && z >= 0 && z < wd) acc += x.get(i, ch, y, z) * w.get(f, ch, p, q);
                }
            out[((i * o + f) * oh + r) * ow + s] = acc * scale + (b == null ? 0 : b.get(f));
          }
    return out;
  }

  @Property(tries = 15)
  void conv2dMatchesDirectConvolutionAndFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 4) int o,
      @ForAll @IntRange(min = 3, max = 9) int hw, @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
      @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll boolean bias, @ForAll boolean ntk, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Conv2d conv = new Conv2d(c, o, k, k, stride, pad, 1, bias, null, ntk ? Parameterization.NTK : Parameterization.STANDARD, rng);
    conv.to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, c, hw, hw).requiresGrad(true);
    Tensor y = conv.call(x);
    double[] want = naiveConv(x, conv.weight().tensor(), bias ? conv.bias().tensor() : null, stride, pad, conv.forwardScale());
    assertArrayEquals(want, y.toDoubleArray(), 1e-10);
    if (bias) GradCheck.check("conv2d", t -> conv.call(t[0]), x, conv.weight().tensor(), conv.bias().tensor());
    else GradCheck.check("conv2d", t -> conv.call(t[0]), x, conv.weight().tensor());
  }

  @Test
  void poolingModulesDelegateToTheOps() {
    Tensor x = Tensor.randn(new Rng(1), 2, 3, 6, 6);
    assertArrayEquals(x.maxPool2d(2, 2, 0).toFloatArray(), new MaxPool2d(2).call(x).toFloatArray());
    assertArrayEquals(x.avgPool2d(3, 1, 1).toFloatArray(), new AvgPool2d(3, 1, 1).call(x).toFloatArray());
  }

  @Test
  void smallCnnMapsImagesToLogits() {
    Sequential cnn = Models.smallCnn(10, new Rng(0));
    assertArrayEquals(new int[] {4, 10}, cnn.call(Tensor.uniform(new Rng(2), 0, 1, 4, 1, 28, 28)).shape());
    assertEquals(2, Models.convLayers(cnn).size());
    assertTrue(cnn.toString().contains("Conv2d(in=32, out=64, kernel=3x3, stride=2, padding=1, bias=true)"), cnn.toString());
  }

  @Test
  void wrongInputShapeNamesTheLayer() {
    Conv2d conv = new Conv2d(3, 4, 3, 1, 1, false, new Rng(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(2, 1, 8, 8)));
    assertTrue(e.getMessage().contains("(N, 3, H, W)") && e.getMessage().contains("[2, 1, 8, 8]"), e.getMessage());
  }
}
