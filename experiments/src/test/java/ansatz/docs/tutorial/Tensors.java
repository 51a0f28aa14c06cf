package ansatz.docs.tutorial;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.Arrays;

/** Samples of docs/tutorial/01-tensors.md. Each method is one region of the page; see TensorsTest. */
final class Tensors {
  private Tensors() {}

  static Tensor create() {
    // region create
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // the data, then the shape
    System.out.println(x);
    System.out.println("shape " + Arrays.toString(x.shape()) + ", " + x.numel() + " numbers, x[1, 2] = " + x.get(1, 2));

    Tensor zeros = Tensor.zeros(2, 2);                 // float32 unless a DType is given
    Tensor id = Tensor.eye(3, DType.FLOAT64);
    Tensor noise = Tensor.randn(new Rng(42), 2, 3);    // random tensors take an explicit Rng
    System.out.println(zeros.dtype() + " " + id.dtype() + " " + Arrays.toString(noise.shape()));
    // endregion create
    return x;
  }

  static Tensor[] views() {
    // region views
    Tensor x = Tensor.arange(6).reshape(2, 3);  // 0 1 2 / 3 4 5
    Tensor xt = x.t();                          // a view: same storage, swapped strides
    System.out.println(xt);
    System.out.println("strides " + Arrays.toString(x.strides()) + " -> " + Arrays.toString(xt.strides())
        + ", same storage: " + (x.storage() == xt.storage()) + ", contiguous: " + xt.isContiguous());

    Tensor row = x.select(0, 1);                // the second row, a view of shape [3]
    Tensor firstTwo = x.narrow(1, 0, 2);        // columns 0 and 1, a view of shape [2, 2]
    System.out.println(row + "\n" + firstTwo);
    // endregion views
    return new Tensor[] {x, xt, row, firstTwo};
  }

  static Tensor broadcast() {
    // region broadcast
    Tensor column = Tensor.of(new float[] {0, 10, 20}, 3, 1);  // shape [3, 1]
    Tensor row = Tensor.of(new float[] {1, 2}, 2);             // shape [2]
    // Align the shapes on the right: [3, 1] and [_, 2]. A missing axis counts as 1, and an axis of
    // size 1 is repeated to match the other: both become [3, 2].
    Tensor sum = column.add(row);
    System.out.println(sum);

    Tensor stretched = row.expand(3, 2);   // what broadcasting does to `row`, as an explicit view
    System.out.println("strides of the expanded row: " + Arrays.toString(stretched.strides()));
    // endregion broadcast
    return sum;
  }

  static String broadcastError() {
    // region broadcastError
    Tensor a = Tensor.ones(2, 3);
    Tensor b = Tensor.ones(2);
    try {
      a.add(b);                            // [2, 3] and [_, 2]: 3 vs 2, neither is 1
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage());
    }
    System.out.println(a.add(b.reshape(2, 1)));  // [2, 1] is what was meant: one number per row
    // endregion broadcastError
    return "ok";
  }

  static Tensor[] reductions() {
    // region reductions
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor total = x.sum();                    // a 0-dimensional tensor; item() reads it
    Tensor perColumn = x.sum(0, false);        // shape [3]
    Tensor perRow = x.mean(1, true);           // shape [2, 1]: keepDim keeps the axis, as size 1
    System.out.println(total.item() + " " + perColumn + "\n" + perRow);
    Tensor centered = x.sub(perRow);           // [2, 3] - [2, 1]: keepDim makes it broadcast back
    System.out.println(centered);
    // endregion reductions
    return new Tensor[] {total, perColumn, perRow, centered};
  }

  static Tensor[] matmul() {
    // region matmul
    Rng rng = new Rng(0);
    Tensor batch = Tensor.randn(rng, 4, 5, 3);     // 4 matrices of shape [5, 3]
    Tensor w = Tensor.randn(rng, 2, 3);            // one [2, 3] matrix, like a Linear layer's weight
    Tensor y = batch.matmul(w.t());                // [4, 5, 3] x [3, 2] -> [4, 5, 2]; w is broadcast over the batch
    Tensor second = batch.select(0, 1).matmul(w.t());   // the product for matrix 1 alone
    double gap = y.select(0, 1).sub(second).abs().max().item();
    System.out.println(Arrays.toString(y.shape()) + ", matrix 1 agrees: " + (gap < 1e-6));
    // endregion matmul
    return new Tensor[] {batch, w, y};
  }

  static Tensor dtypes() {
    // region dtypes
    Tensor a = Tensor.full(1.0 / 3, DType.FLOAT32, 1);
    Tensor b = Tensor.full(1.0 / 3, DType.FLOAT64, 1);
    System.out.println(a.get(0) + " (float32) vs " + b.get(0) + " (float64)");
    Tensor mixed = a.add(b);                       // mixed types: the wider one wins
    System.out.println(mixed.dtype() + ", and back: " + mixed.to(DType.FLOAT32).dtype());
    // endregion dtypes
    return mixed;
  }
}
