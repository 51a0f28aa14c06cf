package ansatz.nn;

import ansatz.autograd.Tensor;
import java.util.Arrays;

/**
 * Merges the axes {@code startDim..endDim} into one, as PyTorch's {@code nn.Flatten} (defaults 1 and
 * -1: a batch of images (n, c, h, w) becomes (n, c*h*w)). A view when the input is contiguous.
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** Flattens everything but the batch axis. */
  public Flatten() {
    this(1, -1);
  }

  /**
   * @param startDim first axis to merge
   * @param endDim last axis to merge (negative counts from the end)
   */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  protected Tensor forward(Tensor x) {
    int[] s = x.shape();
    int rank = Math.max(s.length, 1);
    int a = startDim < 0 ? startDim + rank : startDim, b = endDim < 0 ? endDim + rank : endDim;
    if (a < 0 || a >= rank || b < 0 || b >= rank || a > b) {
      throw new IllegalArgumentException("Flatten(start=" + startDim + ", end=" + endDim + "): invalid for input of shape " + Arrays.toString(s));
    }
    if (s.length == 0) return x.reshape(1);
    int merged = 1;
    for (int i = a; i <= b; i++) merged *= s[i];
    int[] ns = new int[s.length - (b - a)];
    int k = 0;
    for (int i = 0; i < a; i++) ns[k++] = s[i];
    ns[k++] = merged;
    for (int i = b + 1; i < s.length; i++) ns[k++] = s[i];
    return x.reshape(ns);
  }

  @Override
  protected String extraRepr() {
    return "start=" + startDim + ", end=" + endDim;
  }
}
