package ansatz.autograd.conv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input to the convolution-support ops fails with a message naming the op, shapes and parameters. */
class ConvErrorsTest {
  private static void fails(Executable call, String... mustMention) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String s : mustMention) assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention '" + s + "'");
  }

  @Test
  void im2colRejectsWrongRank() {
    fails(() -> Tensor.zeros(2, 3, 4).im2col(2, 2, 1, 0, 1), "im2col", "[2, 3, 4]", "rank 4");
  }

  @Test
  void im2colRejectsKernelLargerThanPaddedInput() {
    fails(() -> Tensor.zeros(1, 1, 4, 4).im2col(3, 3, 1, 0, 2), "im2col", "[1, 1, 4, 4]", "kernel 3x3", "dilation 2x2", "padded image 4x4");
    fails(() -> Tensor.zeros(1, 1, 2, 9).im2col(5, 1, 1, 1, 1), "im2col", "kernel 5x1", "padded image 4x11");
  }

  @Test
  void im2colRejectsNonpositiveStrideDilationKernelAndNegativePadding() {
    Tensor x = Tensor.zeros(1, 1, 5, 5);
    fails(() -> x.im2col(2, 2, 0, 0, 1), "im2col", "stride must be positive", "stride 0x0");
    fails(() -> x.im2col(2, 2, 1, 1, 1, 1, 0, 1), "im2col", "dilation must be positive", "dilation 0x1");
    fails(() -> x.im2col(2, 2, 1, -1, 1), "im2col", "padding must not be negative", "padding -1x-1");
    fails(() -> x.im2col(0, 2, 1, 0, 1), "im2col", "kernel size must be positive", "kernel 0x2");
  }

  @Test
  void col2imRejectsWrongRankRowsAndLength() {
    fails(() -> Tensor.zeros(1, 4, 3, 3).col2im(4, 4, 2, 2, 1, 0, 1), "col2im", "[1, 4, 3, 3]", "rank 3");
    // 10 rows are not a whole number of 2x2 kernels
    fails(() -> Tensor.zeros(1, 10, 9).col2im(4, 4, 2, 2, 1, 0, 1), "col2im", "[1, 10, 9]", "10 rows", "kh*kw = 4");
    // a 4x4 image with a 2x2 kernel has 3x3 = 9 windows, not 8
    fails(() -> Tensor.zeros(1, 8, 8).col2im(4, 4, 2, 2, 1, 0, 1), "col2im", "[1, 8, 8]", "L = 8", "3x3 = 9");
    fails(() -> Tensor.zeros(1, 4, 1).col2im(1, 1, 2, 2, 1, 0, 1), "col2im", "kernel 2x2", "padded image 1x1");
    fails(() -> Tensor.zeros(1, 4, 1).col2im(2, 2, 2, 2, 1, -1, 1), "col2im", "padding must not be negative");
  }

  @Test
  void poolsRejectBadInput() {
    fails(() -> Tensor.zeros(4, 4).maxPool2d(2, 2, 0), "maxPool2d", "[4, 4]", "rank 4");
    fails(() -> Tensor.zeros(1, 1, 4, 4).maxPool2d(2, 2, 2), "maxPool2d", "padding must be at most half the kernel", "kernel 2x2", "padding 2x2");
    fails(() -> Tensor.zeros(1, 1, 2, 2).maxPool2d(3, 1, 0), "maxPool2d", "kernel 3x3", "[1, 1, 2, 2]");
    fails(() -> Tensor.zeros(1, 1, 4, 4).maxPool2d(2, 0, 0), "maxPool2d", "stride must be positive");
    fails(() -> Tensor.zeros(1, 1, 4).avgPool2d(2, 2, 0), "avgPool2d", "[1, 1, 4]", "rank 4");
    fails(() -> Tensor.zeros(1, 1, 4, 4).avgPool2d(3, 3, 1, 1, 2, 0), "avgPool2d", "padding must be at most half the kernel", "padding 2x0");
    fails(() -> Tensor.zeros(1, 1, 2, 2).avgPool2d(1, 1, -1), "avgPool2d", "padding must not be negative");
  }
}
