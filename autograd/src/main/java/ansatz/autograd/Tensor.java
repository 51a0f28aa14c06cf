package ansatz.autograd;

import ansatz.autograd.ops.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array of float32 or float64 numbers that remembers how it was computed, so that
 * gradients can flow back through it.
 *
 * <h2>Data</h2>
 * A tensor is a view on a flat {@link Storage}: a shape, row-major strides and an offset. Reshape
 * (of a contiguous tensor), transpose/permute, expand (broadcasting, stride 0) and narrow are views
 * that share storage; everything else allocates. {@link #contiguous()} makes a dense copy when needed.
 * Creation uses float32 unless a {@link DType} is given; random tensors take an explicit {@link Rng}.
 *
 * <h2>Autodiff in one paragraph</h2>
 * Mark leaves with {@link #requiresGrad(boolean)}. Every op on tensors that require grad is a
 * {@link Function} (see {@code ansatz.autograd.ops}) that computes its output and, while grad mode is
 * on ({@link Grad}), records itself as the output's {@link #gradFn()}. {@link #backward()} hands the
 * graph to {@link Autograd#backward}, which walks it from this tensor back to the leaves, calling
 * each function's backward rule and summing the results into the leaves' {@link #grad()}. Hooks
 * ({@link #registerHook}) see, and may replace, the gradient of any tensor on the way.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new Rng(0), 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 *
 * <p>Shape errors throw {@link IllegalArgumentException} naming the op and the shapes involved.
 */
public final class Tensor {
  private final Storage storage;
  private final int[] shape;
  private final int[] strides;
  private final int offset;

  private boolean requiresGrad;
  private boolean retainsGrad;
  private Tensor grad;
  private Function gradFn;
  private List<UnaryOperator<Tensor>> hooks;
  // True while this is a gradient buffer that only the backward engine references (see
  // Function#owned): the engine may then hand it over as a leaf's grad, or let the next backward
  // rule overwrite it, instead of copying. Cleared whenever the tensor is shown to anyone else.
  private boolean engineOwned;

  private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
  }

  // ===================================================================== low-level construction

  /**
   * A view on existing storage. Low level: used by ops and kernels; the caller guarantees that the
   * view stays inside the storage.
   */
  public static Tensor view(Storage storage, int[] shape, int[] strides, int offset) {
    return new Tensor(storage, shape.clone(), strides.clone(), offset);
  }

  /** A new contiguous tensor of zeros that takes ownership of nothing. */
  public static Tensor empty(DType dtype, int... shape) {
    int[] s = Shape.validate("empty", shape);
    return new Tensor(Storage.allocate(dtype, Shape.numel(s)), s, Shape.contiguousStrides(s), 0);
  }

  /** Wraps a float array without copying (the tensor owns it afterwards). */
  public static Tensor wrap(float[] data, int... shape) {
    int[] s = Shape.validate("wrap", shape);
    if (Shape.numel(s) != data.length) {
      throw new IllegalArgumentException("wrap: " + data.length + " values do not fill shape " + Shape.str(s));
    }
    return new Tensor(new Storage(data), s, Shape.contiguousStrides(s), 0);
  }

  /** Wraps a double array without copying (the tensor owns it afterwards). */
  public static Tensor wrap(double[] data, int... shape) {
    int[] s = Shape.validate("wrap", shape);
    if (Shape.numel(s) != data.length) {
      throw new IllegalArgumentException("wrap: " + data.length + " values do not fill shape " + Shape.str(s));
    }
    return new Tensor(new Storage(data), s, Shape.contiguousStrides(s), 0);
  }

  // ===================================================================== creation

  /** {@return a float32 tensor holding a copy of {@code data} in the given shape} */
  public static Tensor of(float[] data, int... shape) {
    return wrap(data.clone(), shape);
  }

  /** {@return a float64 tensor holding a copy of {@code data} in the given shape} */
  public static Tensor of(double[] data, int... shape) {
    return wrap(data.clone(), shape);
  }

  /** {@return a float32 vector holding a copy of {@code data}} */
  public static Tensor of(float... data) {
    return wrap(data.clone(), data.length);
  }

  /** {@return a float64 vector holding a copy of {@code data}} */
  public static Tensor of(double... data) {
    return wrap(data.clone(), data.length);
  }

  /** {@return a float64 matrix from rows (all of the same length)} */
  public static Tensor of(double[][] rows) {
    int m = rows.length, n = m == 0 ? 0 : rows[0].length;
    double[] d = new double[m * n];
    for (int i = 0; i < m; i++) {
      if (rows[i].length != n) throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + n);
      System.arraycopy(rows[i], 0, d, i * n, n);
    }
    return wrap(d, m, n);
  }

  /** {@return a scalar (shape {@code []}) of the given type} */
  public static Tensor scalar(double value, DType dtype) {
    Tensor t = empty(dtype);
    t.storage.set(0, value);
    return t;
  }

  /** {@return a float32 scalar} */
  public static Tensor scalar(double value) {
    return scalar(value, DType.FLOAT32);
  }

  /** {@return float32 zeros} */
  public static Tensor zeros(int... shape) {
    return empty(DType.FLOAT32, shape);
  }

  /** {@return zeros of the given type} */
  public static Tensor zeros(DType dtype, int... shape) {
    return empty(dtype, shape);
  }

  /** {@return float32 ones} */
  public static Tensor ones(int... shape) {
    return full(1, DType.FLOAT32, shape);
  }

  /** {@return ones of the given type} */
  public static Tensor ones(DType dtype, int... shape) {
    return full(1, dtype, shape);
  }

  /** {@return a tensor filled with {@code value}} */
  public static Tensor full(double value, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    if (t.storage.f != null) Arrays.fill(t.storage.f, (float) value);
    else Arrays.fill(t.storage.d, value);
    return t;
  }

  /** {@return zeros with this tensor's type and shape} */
  public Tensor zerosLike() {
    return empty(dtype(), shape);
  }

  /** {@return ones with this tensor's type and shape} */
  public Tensor onesLike() {
    return full(1, dtype(), shape);
  }

  /** {@return the vector start, start+step, ... below end (exclusive), like NumPy's arange} */
  public static Tensor arange(double start, double end, double step, DType dtype) {
    if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be nonzero, got " + step);
    int n = (int) Math.max(0, Math.ceil((end - start) / step));
    Tensor t = empty(dtype, n);
    for (int i = 0; i < n; i++) t.storage.set(i, start + i * step);
    return t;
  }

  /** {@return float32 0, 1, ..., n-1} */
  public static Tensor arange(int n) {
    return arange(0, n, 1, DType.FLOAT32);
  }

  /** {@return the n x n identity} */
  public static Tensor eye(int n, DType dtype) {
    Tensor t = empty(dtype, n, n);
    for (int i = 0; i < n; i++) t.storage.set(i * n + i, 1);
    return t;
  }

  /** {@return float32 standard normal samples} */
  public static Tensor randn(Rng rng, int... shape) {
    return randn(rng, DType.FLOAT32, shape);
  }

  /** {@return standard normal samples of the given type} */
  public static Tensor randn(Rng rng, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    for (int i = 0, n = t.numel(); i < n; i++) t.storage.set(i, rng.nextGaussian());
    return t;
  }

  /** {@return float32 samples uniform in [lo, hi)} */
  public static Tensor uniform(Rng rng, double lo, double hi, int... shape) {
    return uniform(rng, lo, hi, DType.FLOAT32, shape);
  }

  /** {@return samples uniform in [lo, hi) of the given type} */
  public static Tensor uniform(Rng rng, double lo, double hi, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    for (int i = 0, n = t.numel(); i < n; i++) t.storage.set(i, lo + (hi - lo) * rng.nextDouble());
    return t;
  }

  /** {@return one-hot rows: shape [labels.length, numClasses], 1 at each label} */
  public static Tensor oneHot(int[] labels, int numClasses, DType dtype) {
    Tensor t = empty(dtype, labels.length, numClasses);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("oneHot: label " + labels[i] + " at row " + i + " is outside [0, " + numClasses + ")");
      }
      t.storage.set(i * numClasses + labels[i], 1);
    }
    return t;
  }

  // ===================================================================== metadata

  /** {@return a copy of the shape} */
  public int[] shape() {
    return shape.clone();
  }

  /** {@return size along an axis (negative counts from the end)} */
  public int size(int axis) {
    return shape[Shape.axis("size", axis, shape.length)];
  }

  /** {@return number of axes} */
  public int dim() {
    return shape.length;
  }

  /** {@return number of elements} */
  public int numel() {
    return Shape.numel(shape);
  }

  /** {@return the element type} */
  public DType dtype() {
    return storage.dtype();
  }

  /** {@return the strides (elements, not bytes)} */
  public int[] strides() {
    return strides.clone();
  }

  /** {@return offset of the first element in the storage} */
  public int offset() {
    return offset;
  }

  /** {@return the storage this tensor views (shared with other views)} */
  public Storage storage() {
    return storage;
  }

  /** {@return true if the elements lie row-major and densely in storage (offset may be nonzero)} */
  public boolean isContiguous() {
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != s) return false;
      s *= shape[i];
    }
    return true;
  }

  // ===================================================================== element access

  /** {@return the single value of a one-element tensor} */
  public double item() {
    if (numel() != 1) throw new IllegalArgumentException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
    return storage.get(offset);
  }

  /** {@return the element at the given index (negative indices count from the end)} */
  public double get(int... index) {
    return storage.get(storageIndex("get", index));
  }

  /** Sets one element in place (not recorded by autograd). */
  public void set(double value, int... index) {
    checkInPlace("set");
    storage.set(storageIndex("set", index), value);
    storage.bumpVersion();
  }

  private int storageIndex(String op, int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length + " entries for shape " + Shape.str(shape));
    }
    int p = offset;
    for (int i = 0; i < index.length; i++) {
      int k = index[i] < 0 ? index[i] + shape[i] : index[i];
      if (k < 0 || k >= shape[i]) {
        throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for shape " + Shape.str(shape));
      }
      p += k * strides[i];
    }
    return p;
  }

  /** {@return the elements in row-major order as a new float array} */
  public float[] toFloatArray() {
    Tensor c = to(DType.FLOAT32).contiguous();
    return Arrays.copyOfRange(c.storage.f, c.offset, c.offset + c.numel());
  }

  /** {@return the elements in row-major order as a new double array} */
  public double[] toDoubleArray() {
    Tensor c = to(DType.FLOAT64).contiguous();
    return Arrays.copyOfRange(c.storage.d, c.offset, c.offset + c.numel());
  }

  /**
   * Low level: the float32 array of a contiguous tensor (this tensor's own storage when it is
   * contiguous with offset 0 and fills it, else a copy). Ops read inputs this way.
   */
  public float[] floats() {
    Tensor c = dense();
    if (c.storage.f == null) throw new IllegalStateException("floats: tensor is " + dtype());
    return c.storage.f;
  }

  /** Low level: like {@link #floats()} for float64 tensors. */
  public double[] doubles() {
    Tensor c = dense();
    if (c.storage.d == null) throw new IllegalStateException("doubles: tensor is " + dtype());
    return c.storage.d;
  }

  /**
   * Low level, not recorded: this tensor if it is contiguous, starts at offset 0 and fills its
   * storage (so that {@code storage().f} is exactly its data); otherwise a dense copy.
   */
  public Tensor copyIfNotDense() {
    return dense();
  }

  /** {@return this if it is contiguous, starts at 0 and fills its storage; else a dense copy} */
  private Tensor dense() {
    if (offset == 0 && isContiguous() && storage.length() == numel()) return this;
    Tensor out = empty(dtype(), shape);
    Strided.copy(storage, shape, strides, offset, out.storage, 0);
    return out;
  }

  // ===================================================================== conversion and views

  /** {@return a contiguous tensor with the same values (this one if already contiguous); differentiable} */
  public Tensor contiguous() {
    return isContiguous() && offset == 0 && storage.length() == numel() ? this : Contiguous.apply(this);
  }

  /** Low level, not recorded: a dense copy of this view's values in a fresh storage. */
  public Tensor copyData() {
    Tensor out = empty(dtype(), shape);
    Strided.copy(storage, shape, strides, offset, out.storage, 0);
    return out;
  }

  /** {@return a copy that owns its storage; differentiable (the gradient flows back)} */
  public Tensor copy() {
    return Contiguous.copy(this);
  }

  /** {@return this tensor converted to {@code dtype} (this one if it already is); differentiable} */
  public Tensor to(DType dtype) {
    return dtype == dtype() ? this : Convert.apply(this, dtype);
  }

  /** {@return the same values as float64} */
  public Tensor toFloat64() {
    return to(DType.FLOAT64);
  }

  /** {@return the same values as float32} */
  public Tensor toFloat32() {
    return to(DType.FLOAT32);
  }

  /** {@return a view sharing storage that is cut off from the graph (no gradient flows through it)} */
  public Tensor detach() {
    return new Tensor(storage, shape, strides, offset);
  }

  /** {@return a view (or copy, if not contiguous) with a new shape; one size may be -1} */
  public Tensor reshape(int... newShape) {
    return Reshape.apply(this, newShape);
  }

  /** {@return all elements as a vector} */
  public Tensor flatten() {
    return reshape(numel());
  }

  /** {@return axes start..end (inclusive) merged into one} */
  public Tensor flatten(int start, int end) {
    int s = Shape.axis("flatten", start, dim()), e = Shape.axis("flatten", end, dim());
    int[] ns = new int[dim() - (e - s)];
    int k = 0;
    for (int i = 0; i < s; i++) ns[k++] = shape[i];
    int m = 1;
    for (int i = s; i <= e; i++) m *= shape[i];
    ns[k++] = m;
    for (int i = e + 1; i < dim(); i++) ns[k++] = shape[i];
    return reshape(ns);
  }

  /** {@return a view with the axes reordered} */
  public Tensor permute(int... axes) {
    return Permute.apply(this, axes);
  }

  /** {@return a view with two axes swapped} */
  public Tensor transpose(int a, int b) {
    int[] p = new int[dim()];
    for (int i = 0; i < p.length; i++) p[i] = i;
    a = Shape.axis("transpose", a, dim());
    b = Shape.axis("transpose", b, dim());
    p[a] = b;
    p[b] = a;
    return permute(p);
  }

  /** {@return the transpose of a matrix (a view)} */
  public Tensor t() {
    if (dim() != 2) throw new IllegalArgumentException("t: needs a matrix, got shape " + Shape.str(shape));
    return transpose(0, 1);
  }

  /** {@return a broadcast view of this tensor in a larger shape (stride 0 on repeated axes)} */
  public Tensor expand(int... newShape) {
    return Expand.apply(this, newShape);
  }

  /** {@return the view {@code [start, start+length)} along an axis} */
  public Tensor narrow(int axis, int start, int length) {
    return Narrow.apply(this, axis, start, length);
  }

  /** {@return the slice at {@code index} along an axis, with that axis removed} */
  public Tensor select(int axis, int index) {
    int a = Shape.axis("select", axis, dim());
    int i = index < 0 ? index + shape[a] : index;
    if (i < 0 || i >= shape[a]) {
      throw new IndexOutOfBoundsException("select: index " + index + " is out of range for axis " + axis + " of shape " + Shape.str(shape));
    }
    return narrow(a, i, 1).squeeze(a);
  }

  /** {@return a view with a size-1 axis inserted at {@code axis}} */
  public Tensor unsqueeze(int axis) {
    int a = axis < 0 ? axis + dim() + 1 : axis;
    if (a < 0 || a > dim()) throw new IllegalArgumentException("unsqueeze: axis " + axis + " out of range for rank " + dim());
    int[] ns = new int[dim() + 1];
    for (int i = 0, k = 0; i < ns.length; i++) ns[i] = i == a ? 1 : shape[k++];
    return reshape(ns);
  }

  /** {@return a view with the size-1 axis {@code axis} removed} */
  public Tensor squeeze(int axis) {
    int a = Shape.axis("squeeze", axis, dim());
    if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " has size " + shape[a] + ", not 1, in shape " + Shape.str(shape));
    int[] ns = new int[dim() - 1];
    for (int i = 0, k = 0; i < dim(); i++) if (i != a) ns[k++] = shape[i];
    return reshape(ns);
  }

  /** {@return the rows (or slices along {@code axis}) at the given indices, gathered into a new tensor} */
  public Tensor indexSelect(int axis, int... indices) {
    return IndexSelect.apply(this, axis, indices);
  }

  /** {@return the rows at the given indices (axis 0)} */
  public Tensor rows(int... indices) {
    return indexSelect(0, indices);
  }

  // ===================================================================== elementwise math

  /** {@return -x} */
  public Tensor neg() { return Unary.neg(this); }
  /** {@return e^x} */
  public Tensor exp() { return Unary.exp(this); }
  /** {@return natural log} */
  public Tensor log() { return Unary.log(this); }
  /** {@return square root} */
  public Tensor sqrt() { return Unary.sqrt(this); }
  /** {@return |x| (gradient 0 at 0)} */
  public Tensor abs() { return Unary.abs(this); }
  /** {@return max(x, 0)} */
  public Tensor relu() { return Unary.relu(this); }
  /** {@return x for x &gt; 0, slope*x otherwise} */
  public Tensor leakyRelu(double slope) { return Unary.leakyRelu(this, slope); }
  /** {@return 1/(1+e^-x), computed stably} */
  public Tensor sigmoid() { return Unary.sigmoid(this); }
  /** {@return tanh(x)} */
  public Tensor tanh() { return Unary.tanh(this); }
  /** {@return the exact (erf) GELU, x * Phi(x)} */
  public Tensor gelu() { return Unary.gelu(this); }
  /** {@return x^p for a constant p} */
  public Tensor pow(double p) { return Unary.pow(this, p); }
  /** {@return x*x} */
  public Tensor square() { return Unary.pow(this, 2); }
  /** {@return x clamped into [lo, hi] (gradient passes inside, including the ends)} */
  public Tensor clamp(double lo, double hi) { return Unary.clamp(this, lo, hi); }

  /** {@return this + other, broadcasting} */
  public Tensor add(Tensor other) { return Binary.add(this, other); }
  /** {@return this - other, broadcasting} */
  public Tensor sub(Tensor other) { return Binary.sub(this, other); }
  /** {@return this * other, broadcasting} */
  public Tensor mul(Tensor other) { return Binary.mul(this, other); }
  /** {@return this / other, broadcasting} */
  public Tensor div(Tensor other) { return Binary.div(this, other); }
  /** {@return elementwise maximum (ties split the gradient evenly, as PyTorch)} */
  public Tensor maximum(Tensor other) { return Binary.maximum(this, other); }
  /** {@return elementwise minimum (ties split the gradient evenly)} */
  public Tensor minimum(Tensor other) { return Binary.minimum(this, other); }
  /** {@return this^other elementwise, broadcasting} */
  public Tensor pow(Tensor other) { return Binary.pow(this, other); }

  /** {@return this + c} */
  public Tensor add(double c) { return Binary.add(this, scalar(c, dtype())); }
  /** {@return this - c} */
  public Tensor sub(double c) { return Binary.sub(this, scalar(c, dtype())); }
  /** {@return this * c} */
  public Tensor mul(double c) { return Binary.mul(this, scalar(c, dtype())); }
  /** {@return this / c} */
  public Tensor div(double c) { return Binary.div(this, scalar(c, dtype())); }
  /** {@return c - this} */
  public Tensor rsub(double c) { return Binary.sub(scalar(c, dtype()), this); }

  /** {@return mask (1 where this &gt; other, else 0) in the promoted type; not differentiable} */
  public Tensor gt(Tensor other) { return Compare.apply("gt", this, other); }
  /** {@return mask of this &gt;= other} */
  public Tensor ge(Tensor other) { return Compare.apply("ge", this, other); }
  /** {@return mask of this &lt; other} */
  public Tensor lt(Tensor other) { return Compare.apply("lt", this, other); }
  /** {@return mask of this &lt;= other} */
  public Tensor le(Tensor other) { return Compare.apply("le", this, other); }
  /** {@return mask of this == other} */
  public Tensor eq(Tensor other) { return Compare.apply("eq", this, other); }
  /** {@return mask of this != other} */
  public Tensor ne(Tensor other) { return Compare.apply("ne", this, other); }
  /** {@return mask of this &gt; c} */
  public Tensor gt(double c) { return gt(scalar(c, dtype())); }
  /** {@return mask of this &lt; c} */
  public Tensor lt(double c) { return lt(scalar(c, dtype())); }

  /** {@return elements of {@code a} where {@code mask} is nonzero, else of {@code b}; broadcasting} */
  public static Tensor where(Tensor mask, Tensor a, Tensor b) { return Where.apply(mask, a, b); }

  // ===================================================================== reductions

  /** {@return the sum of all elements (a scalar)} */
  public Tensor sum() { return Sum.apply(this, allAxes(), false); }
  /** {@return sums over the given axes, keeping them as size 1 if {@code keepDim}} */
  public Tensor sum(int[] axes, boolean keepDim) { return Sum.apply(this, axes, keepDim); }
  /** {@return sum over one axis} */
  public Tensor sum(int axis, boolean keepDim) { return Sum.apply(this, new int[] {axis}, keepDim); }
  /** {@return the mean of all elements} */
  public Tensor mean() { return Reductions.mean(this, allAxes(), false); }
  /** {@return means over the given axes} */
  public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
  /** {@return mean over one axis} */
  public Tensor mean(int axis, boolean keepDim) { return Reductions.mean(this, new int[] {axis}, keepDim); }
  /** {@return variance over the given axes with the given correction (1 = unbiased, as torch.var)} */
  public Tensor var(int[] axes, boolean keepDim, int correction) { return Reductions.var(this, axes, keepDim, correction); }
  /** {@return the maximum element (tied maxima share the gradient evenly, as torch.max())} */
  public Tensor max() { return Max.amax(this, allAxes(), false); }
  /** {@return maxima over the given axes (tied maxima share the gradient evenly, as torch.amax)} */
  public Tensor max(int[] axes, boolean keepDim) { return Max.amax(this, axes, keepDim); }
  /** {@return maxima and their positions along one axis (the gradient goes to the first maximum, as torch.max(x, dim))} */
  public MaxResult maxWithIndex(int axis, boolean keepDim) {
    Max.Result r = Max.apply(this, new int[] {axis}, keepDim); // ops is not exported: re-wrap in an API type
    return new MaxResult(r.values(), r.indices());
  }
  /** {@return the index of the maximum along an axis, for each other position} */
  public int[] argmax(int axis) { return Max.apply(this.detach(), new int[] {axis}, false).indices(); }
  /** {@return the minimum element (tied minima share the gradient evenly)} */
  public Tensor min() { return neg().max().neg(); }
  /** {@return log(sum(exp(x))) over an axis, stable for large logits} */
  public Tensor logSumExp(int axis, boolean keepDim) { return Reductions.logSumExp(this, axis, keepDim); }
  /** {@return softmax over an axis} */
  public Tensor softmax(int axis) { return Reductions.softmax(this, axis); }
  /** {@return log softmax over an axis} */
  public Tensor logSoftmax(int axis) { return Reductions.logSoftmax(this, axis); }

  private int[] allAxes() {
    int[] a = new int[dim()];
    for (int i = 0; i < a.length; i++) a[i] = i;
    return a;
  }

  /**
   * Sums this tensor down to {@code target} by NumPy's broadcasting rule in reverse: leading axes are
   * summed away and axes where the target has size 1 are summed with keepDim. This is the one rule
   * the engine uses to reduce every broadcast gradient to its input's shape.
   */
  public Tensor sumTo(int[] target) {
    if (Shape.same(shape, target)) return this;
    int lead = dim() - target.length;
    if (lead < 0) throw new IllegalArgumentException("sumTo: cannot reduce shape " + Shape.str(shape) + " to larger " + Shape.str(target));
    int[] axes = new int[dim()];
    int k = 0;
    for (int i = 0; i < dim(); i++) {
      if (i < lead) axes[k++] = i;
      else if (target[i - lead] == 1 && shape[i] != 1) axes[k++] = i;
      else if (target[i - lead] != shape[i]) {
        throw new IllegalArgumentException("sumTo: shape " + Shape.str(shape) + " does not reduce to " + Shape.str(target));
      }
    }
    Tensor s = k == 0 ? this : sum(Arrays.copyOf(axes, k), true);
    return s.reshape(target);
  }

  // ===================================================================== linear algebra and structure

  /** {@return matrix product; 1-D operands are treated as vectors, batch axes broadcast (as torch.matmul)} */
  public Tensor matmul(Tensor other) { return MatMul.apply(this, other); }

  /** {@return tensors joined along an existing axis} */
  public static Tensor concat(int axis, Tensor... tensors) { return Concat.apply(axis, tensors); }

  /** {@return tensors stacked along a new axis} */
  public static Tensor stack(int axis, Tensor... tensors) {
    if (tensors.length == 0) throw new IllegalArgumentException("stack: needs at least one tensor");
    Tensor[] u = new Tensor[tensors.length];
    for (int i = 0; i < u.length; i++) {
      if (!Shape.same(tensors[i].shape, tensors[0].shape)) {
        throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(tensors[i].shape) + ", tensor 0 has " + Shape.str(tensors[0].shape));
      }
      u[i] = tensors[i].unsqueeze(axis);
    }
    return Concat.apply(axis, u);
  }

  // ===================================================================== convolution support (NCHW)

  /**
   * im2col, exactly as {@code torch.nn.functional.unfold}: the sliding windows of an NCHW batch as
   * columns. The result has shape {@code (N, C*kh*kw, outH*outW)}; row {@code (c*kh + i)*kw + j}
   * holds kernel tap {@code (i, j)} of channel {@code c}, column {@code oh*outW + ow} holds window
   * {@code (oh, ow)}, and padding reads as 0. Output size per axis:
   * {@code floor((in + 2*padding - dilation*(k-1) - 1)/stride) + 1}. A convolution with weight
   * {@code (Cout, C, kh, kw)} is {@code w.reshape(Cout, -1).matmul(x.im2col(...))}, reshaped to
   * {@code (N, Cout, outH, outW)}. The gradient is {@link #col2im} of the column gradient.
   *
   * @throws IllegalArgumentException if this is not rank 4, a kernel size, stride or dilation is not
   *     positive, a padding is negative, or the kernel does not fit in the padded image
   */
  public Tensor im2col(int kh, int kw, int stride, int padding, int dilation) {
    return im2col(kh, kw, stride, stride, padding, padding, dilation, dilation);
  }

  /** {@link #im2col(int, int, int, int, int)} with stride, padding and dilation given per axis (height, width). */
  public Tensor im2col(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    return Im2Col.apply(this, Window2d.of("im2col", kh, kw, sh, sw, ph, pw, dh, dw));
  }

  /**
   * col2im, exactly as {@code torch.nn.functional.fold}: the inverse layout of {@link #im2col}.
   * Columns {@code (N, C*kh*kw, L)} are added back onto an image {@code (N, C, height, width)}; a
   * pixel covered by several windows gets the sum of its entries, entries on padding are dropped.
   * {@code L} must equal the number of window positions in a {@code height x width} image. The
   * gradient is {@link #im2col} of the image gradient.
   *
   * @param height output image height (torch's {@code output_size[0]})
   * @param width output image width
   * @throws IllegalArgumentException if this is not rank 3, its row count is not a multiple of
   *     kh*kw, its L does not match the geometry, or a parameter is out of range
   */
  public Tensor col2im(int height, int width, int kh, int kw, int stride, int padding, int dilation) {
    return col2im(height, width, kh, kw, stride, stride, padding, padding, dilation, dilation);
  }

  /** {@link #col2im(int, int, int, int, int, int, int)} with stride, padding and dilation given per axis. */
  public Tensor col2im(int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    return Col2Im.apply(this, height, width, Window2d.of("col2im", kh, kw, sh, sw, ph, pw, dh, dw));
  }

  /**
   * The fully connected layer as one fused op, as {@code torch.nn.functional.linear} (followed by
   * {@code relu} if asked): {@code scale * this W^T + bias}. The bias is written first and one GEMM
   * adds the product on top; the ReLU runs in place, so no separate pre-activation tensor is made.
   * The same numbers as {@code this.matmul(weight.t()).mul(scale).add(bias)} (then {@code relu()}).
   *
   * @param weight shape (out, in)
   * @param bias shape (out), or null
   * @param scale factor on the product (1, or 1/sqrt(in) under NTK parameterization)
   * @param relu whether ReLU follows
   * @return shape (..., out) for this of shape (..., in)
   * @throws IllegalArgumentException if the shapes do not fit or the element types differ
   */
  public Tensor linear(Tensor weight, Tensor bias, double scale, boolean relu) {
    return Affine.apply(this, weight, bias, scale, relu);
  }

  /**
   * Mean cross-entropy of these logits (n, classes) against class labels, as one fused and stable
   * op ({@code torch.nn.functional.cross_entropy}): {@code mean_i [logSumExp(z_i) - z_i,y_i]},
   * exact for logits of magnitude 1e4 even in float32.
   *
   * @param labels n class indices in [0, classes)
   * @return the scalar loss
   * @throws IllegalArgumentException on a shape mismatch or a label out of range
   */
  public Tensor crossEntropy(int[] labels) {
    return SoftmaxCrossEntropy.apply(this, labels);
  }

  /**
   * 2-D convolution, as {@code torch.nn.functional.conv2d} (groups = 1): this NCHW batch
   * {@code (N, C, H, W)} cross-correlated with {@code weight} {@code (O, C, kh, kw)}, plus
   * {@code bias} {@code (O)} if not null. The same numbers as
   * {@code weight.reshape(O, -1).matmul(im2col(...))} (reshaped to {@code (N, O, outH, outW)}), without
   * storing the im2col columns of the whole batch. Output size as for {@link #im2col}.
   *
   * @throws IllegalArgumentException if the shapes or dtypes do not match, a stride or dilation is
   *     not positive, a padding is negative, or the kernel does not fit in the padded image
   */
  public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding, int dilation) {
    return conv2d(weight, bias, stride, stride, padding, padding, dilation, dilation, 1.0);
  }

  /**
   * {@link #conv2d(Tensor, Tensor, int, int, int)} with stride, padding and dilation per axis
   * (height, width) and a factor on the convolution: {@code scale * conv(this, weight) + bias}.
   */
  public Tensor conv2d(Tensor weight, Tensor bias, int sh, int sw, int ph, int pw, int dh, int dw, double scale) {
    if (weight.dim() != 4) {
      throw new IllegalArgumentException("conv2d: weight must be (out, in, kh, kw), got shape " + Shape.str(weight.shape()));
    }
    Window2d g = Window2d.of("conv2d", weight.size(2), weight.size(3), sh, sw, ph, pw, dh, dw);
    return Conv2d.apply(this, weight, bias, g, scale);
  }

  /**
   * 2-D max pooling of an NCHW batch over {@code kernel x kernel} windows, as
   * {@code torch.nn.functional.max_pool2d}: padding counts as minus infinity and the gradient goes
   * to the first maximum of each window (row-major order). Output size as for {@link #im2col}.
   *
   * @throws IllegalArgumentException if this is not rank 4, the padding exceeds half the kernel, or
   *     the kernel does not fit in the padded image
   */
  public Tensor maxPool2d(int kernel, int stride, int padding) {
    return maxPool2d(kernel, kernel, stride, stride, padding, padding);
  }

  /** {@link #maxPool2d(int, int, int)} with kernel, stride and padding given per axis (height, width). */
  public Tensor maxPool2d(int kh, int kw, int sh, int sw, int ph, int pw) {
    return MaxPool2d.apply(this, Window2d.of("maxPool2d", kh, kw, sh, sw, ph, pw, 1, 1));
  }

  /**
   * 2-D average pooling of an NCHW batch, as {@code torch.nn.functional.avg_pool2d} with its
   * defaults: every window's sum is divided by {@code kernel*kernel}, padded pixels counting as zeros
   * ({@code count_include_pad=True}).
   *
   * @throws IllegalArgumentException as {@link #maxPool2d(int, int, int)}
   */
  public Tensor avgPool2d(int kernel, int stride, int padding) {
    return avgPool2d(kernel, kernel, stride, stride, padding, padding);
  }

  /** {@link #avgPool2d(int, int, int)} with kernel, stride and padding given per axis (height, width). */
  public Tensor avgPool2d(int kh, int kw, int sh, int sw, int ph, int pw) {
    return AvgPool2d.apply(this, Window2d.of("avgPool2d", kh, kw, sh, sw, ph, pw, 1, 1));
  }

  // ===================================================================== in-place updates (not recorded)

  /** In place, not recorded: this += alpha * other (other broadcast to this shape). For optimizers. */
  public Tensor addInPlace(Tensor other, double alpha) {
    checkInPlace("addInPlace");
    InPlace.axpy(this, other, alpha);
    storage.bumpVersion();
    return this;
  }

  /** In place, not recorded: this *= c. */
  public Tensor mulInPlace(double c) {
    checkInPlace("mulInPlace");
    InPlace.scale(this, c);
    storage.bumpVersion();
    return this;
  }

  /** In place, not recorded: copies the values of {@code src} (same shape; types may differ). */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    if (!Shape.same(shape, src.shape)) {
      throw new IllegalArgumentException("copyFrom: source shape " + Shape.str(src.shape) + " differs from " + Shape.str(shape));
    }
    Tensor c = src.contiguous();
    if (isContiguous()) {
      Strided.copy(c.storage, c.shape, c.strides, c.offset, storage, offset);
    } else {
      for (int i = 0, n = numel(); i < n; i++) storage.set(storageIndexFlat(i), c.storage.get(c.offset + i));
    }
    storage.bumpVersion();
    return this;
  }

  /** In place, not recorded: fills with a value. */
  public Tensor fill(double value) {
    checkInPlace("fill");
    if (isContiguous() && offset == 0 && storage.length() == numel()) {
      if (storage.f != null) Arrays.fill(storage.f, (float) value);
      else Arrays.fill(storage.d, value);
    } else {
      for (int i = 0, n = numel(); i < n; i++) storage.set(storageIndexFlat(i), value);
    }
    storage.bumpVersion();
    return this;
  }

  /** {@return storage position of the i-th element in row-major order} */
  int storageIndexFlat(int i) {
    int p = offset;
    for (int a = shape.length - 1; a >= 0; a--) {
      p += (i % shape[a]) * strides[a];
      i /= shape[a];
    }
    return p;
  }

  private void checkInPlace(String op) {
    if (Grad.isEnabled() && requiresGrad && gradFn == null) {
      throw new IllegalStateException(op + ": in-place change of a leaf that requires grad; do it inside Grad.disabled()");
    }
  }

  // ===================================================================== autograd

  /** Marks this tensor as a leaf whose gradient is wanted (or not). @return this */
  public Tensor requiresGrad(boolean on) {
    if (gradFn != null && !on) throw new IllegalStateException("requiresGrad(false) on a non-leaf; use detach()");
    this.requiresGrad = on;
    return this;
  }

  /** {@return true if gradients flow to or through this tensor} */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** {@return the accumulated gradient (leaves, or tensors with {@link #retainGrad()}), or null} */
  public Tensor grad() {
    return grad;
  }

  /** Replaces the gradient (null clears it). */
  public void setGrad(Tensor g) {
    if (g != null && !Shape.same(g.shape, shape)) {
      throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape) + " differs from tensor shape " + Shape.str(shape));
    }
    this.grad = g;
  }

  /** Clears the gradient. */
  public void zeroGrad() {
    this.grad = null;
  }

  /** Asks a non-leaf to keep its gradient in {@link #grad()} during backward. @return this */
  public Tensor retainGrad() {
    this.retainsGrad = true;
    return this;
  }

  boolean retainsGrad() {
    return retainsGrad;
  }

  /** {@return the function that produced this tensor, or null for a leaf} */
  public Function gradFn() {
    return gradFn;
  }

  /** {@return true if no recorded op produced this tensor} */
  public boolean isLeaf() {
    return gradFn == null;
  }

  void setGradFn(Function fn) {
    this.gradFn = fn;
    this.requiresGrad = true;
  }

  /** Backpropagates from a scalar: accumulates d this / d leaf into each leaf's grad. Frees the graph. */
  public void backward() {
    Autograd.backward(this, null, false);
  }

  /** Backpropagates {@code seed} (same shape as this tensor). Frees the graph. */
  public void backward(Tensor seed) {
    Autograd.backward(this, seed, false);
  }

  /** Backpropagates {@code seed}; keeps the graph if {@code retainGraph}. */
  public void backward(Tensor seed, boolean retainGraph) {
    Autograd.backward(this, seed, retainGraph);
  }

  /**
   * Registers a hook that sees this tensor's gradient once it is complete during backward, and
   * may return a replacement (or null to keep it). Hooks run in registration order.
   *
   * @return a handle whose {@code close()} removes the hook
   */
  public HookHandle registerHook(UnaryOperator<Tensor> hook) {
    if (!requiresGrad) throw new IllegalStateException("registerHook: tensor of shape " + Shape.str(shape) + " does not require grad");
    if (hooks == null) hooks = new ArrayList<>();
    // A fresh wrapper per registration: close() removes exactly this registration (by identity),
    // even if the same hook object was registered more than once.
    UnaryOperator<Tensor> entry = g -> hook.apply(g);
    hooks.add(entry);
    return () -> hooks.remove(entry);
  }

  Tensor runHooks(Tensor g) {
    if (hooks == null) return g;
    g.engineOwned = false; // a hook may keep it
    for (UnaryOperator<Tensor> h : List.copyOf(hooks)) {
      Tensor r = h.apply(g);
      if (r != null) {
        if (!Shape.same(r.shape, shape)) {
          throw new IllegalStateException("a hook on a tensor of shape " + Shape.str(shape) + " returned a gradient of shape " + Shape.str(r.shape));
        }
        g = r;
      }
    }
    return g;
  }

  /**
   * Adds a gradient that reached this tensor during backward into {@link #grad()}. The first one is
   * copied, unless the engine owns it (a fresh dense buffer nothing else references, see
   * {@link Function#owned}): then it becomes the grad as it is, as PyTorch's AccumulateGrad steals
   * an unshared gradient.
   */
  void accumulateGrad(Tensor g) {
    if (grad != null) {
      InPlace.axpy(grad, g, 1);
    } else if (g.engineOwned && g.dtype() == dtype() && g.isDenseBuffer() && g.gradFn == null && !g.requiresGrad) {
      g.engineOwned = false;
      grad = g;
    } else {
      grad = g.copyData().to(dtype()).detach();
    }
  }

  /** @return whether this tensor is contiguous, starts at 0 and fills its storage */
  boolean isDenseBuffer() {
    return offset == 0 && isContiguous() && storage.length() == numel();
  }

  boolean engineOwned() {
    return engineOwned;
  }

  void engineOwned(boolean on) {
    engineOwned = on;
  }

  // ===================================================================== printing

  /** {@return e.g. {@code tensor([[1.0000, 2.0000], [3.0000, 4.0000]], shape=[2, 2], float32)}} */
  @Override
  public String toString() {
    return TensorPrinter.format(this);
  }
}
