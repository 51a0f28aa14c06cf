package ansatz.nn.init;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Parameter;
import java.util.Arrays;

/**
 * A rule for drawing initial weights, with the formulas of {@code torch.nn.init}. Every draw takes an
 * explicit {@link Rng} and fills the tensor in row-major order, so a seed fixes every weight.
 *
 * <p>Fans follow PyTorch: for a weight of shape (out, in, k1, k2, ...) fan_in = in * k1 * k2 * ...
 * and fan_out = out * k1 * k2 * ... (a {@code Linear} weight is (out, in)).
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>factory</th><th>distribution</th></tr>
 *   <tr><td>{@link #pytorchDefault()}</td><td>U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's
 *       {@code Linear} default for weight and bias (kaiming_uniform with a = sqrt(5))</td></tr>
 *   <tr><td>{@link #kaimingUniform(double)}</td><td>U(-b, b), b = gain * sqrt(3 / fan_in)</td></tr>
 *   <tr><td>{@link #kaimingNormal(double)}</td><td>N(0, std^2), std = gain / sqrt(fan_in)</td></tr>
 *   <tr><td>{@link #xavierUniform(double)}</td><td>U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out))</td></tr>
 *   <tr><td>{@link #xavierNormal(double)}</td><td>N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))</td></tr>
 *   <tr><td>{@link #normal(double)}</td><td>N(0, std^2)</td></tr>
 * </table>
 *
 * <p>"Small init" is any rule times a factor: {@code Init.kaimingNormal().scaled(0.1)} draws as
 * Kaiming normal and multiplies the result by 0.1.
 */
public final class Init {
  /** The gain for ReLU, sqrt(2) (PyTorch's {@code calculate_gain('relu')}). */
  public static final double RELU_GAIN = Math.sqrt(2);

  /** Draws values for a tensor of a given shape. */
  @FunctionalInterface
  public interface Sampler {
    /**
     * {@return a new tensor of {@code shape} and {@code dtype}, not requiring grad}
     */
    Tensor draw(Rng rng, DType dtype, int fanIn, int fanOut, int[] shape);
  }

  private final String name;
  private final Sampler sampler;

  private Init(String name, Sampler sampler) {
    this.name = name;
    this.sampler = sampler;
  }

  /** {@return a custom rule; {@code name} is what {@link #toString()} prints} */
  public static Init of(String name, Sampler sampler) {
    return new Init(name, sampler);
  }

  /** {@return U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for Linear weight and bias} */
  public static Init pytorchDefault() {
    return new Init("pytorch_default", (rng, dt, fanIn, fanOut, shape) -> {
      double b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      return Tensor.uniform(rng, -b, b, dt, shape);
    });
  }

  /** {@return Kaiming uniform with the ReLU gain sqrt(2), fan_in mode} */
  public static Init kaimingUniform() {
    return kaimingUniform(RELU_GAIN);
  }

  /** {@return U(-b, b), b = gain * sqrt(3 / fan_in)} */
  public static Init kaimingUniform(double gain) {
    return new Init("kaiming_uniform(gain=" + gain + ")", (rng, dt, fanIn, fanOut, shape) -> {
      double b = gain * Math.sqrt(3.0 / requirePositive("kaimingUniform", "fan_in", fanIn));
      return Tensor.uniform(rng, -b, b, dt, shape);
    });
  }

  /** {@return Kaiming normal with the ReLU gain sqrt(2), fan_in mode} */
  public static Init kaimingNormal() {
    return kaimingNormal(RELU_GAIN);
  }

  /** {@return N(0, std^2), std = gain / sqrt(fan_in)} */
  public static Init kaimingNormal(double gain) {
    return new Init("kaiming_normal(gain=" + gain + ")", (rng, dt, fanIn, fanOut, shape) ->
        gaussian(rng, dt, shape, gain / Math.sqrt(requirePositive("kaimingNormal", "fan_in", fanIn))));
  }

  /** {@return Xavier (Glorot) uniform with gain 1} */
  public static Init xavierUniform() {
    return xavierUniform(1);
  }

  /** {@return U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out))} */
  public static Init xavierUniform(double gain) {
    return new Init("xavier_uniform(gain=" + gain + ")", (rng, dt, fanIn, fanOut, shape) -> {
      double b = gain * Math.sqrt(6.0 / requirePositive("xavierUniform", "fan_in + fan_out", fanIn + fanOut));
      return Tensor.uniform(rng, -b, b, dt, shape);
    });
  }

  /** {@return Xavier (Glorot) normal with gain 1} */
  public static Init xavierNormal() {
    return xavierNormal(1);
  }

  /** {@return N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))} */
  public static Init xavierNormal(double gain) {
    return new Init("xavier_normal(gain=" + gain + ")", (rng, dt, fanIn, fanOut, shape) ->
        gaussian(rng, dt, shape, gain * Math.sqrt(2.0 / requirePositive("xavierNormal", "fan_in + fan_out", fanIn + fanOut))));
  }

  /** {@return N(0, std^2), independent of the fans (std = 1 is the NTK parameterization's rule)} */
  public static Init normal(double std) {
    if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: std must be >= 0, got " + std);
    return new Init("normal(std=" + std + ")", (rng, dt, fanIn, fanOut, shape) -> gaussian(rng, dt, shape, std));
  }

  /** {@return all zeros (draws nothing from the generator)} */
  public static Init zeros() {
    return new Init("zeros", (rng, dt, fanIn, fanOut, shape) -> Tensor.zeros(dt, shape));
  }

  /** {@return this rule with every drawn value multiplied by {@code factor} ("small init")} */
  public Init scaled(double factor) {
    return new Init(name + " x " + factor, (rng, dt, fanIn, fanOut, shape) -> {
      Tensor t = sampler.draw(rng, dt, fanIn, fanOut, shape);
      t.mulInPlace(factor);
      return t;
    });
  }

  /** {@return fresh values of {@code shape} with explicitly given fans} */
  public Tensor draw(Rng rng, DType dtype, int fanIn, int fanOut, int... shape) {
    if (rng == null) throw new IllegalArgumentException("Init " + name + ": rng is null");
    Tensor t = sampler.draw(rng, dtype, fanIn, fanOut, shape.clone());
    if (!Arrays.equals(t.shape(), shape)) {
      throw new IllegalStateException("Init " + name + " drew shape " + Arrays.toString(t.shape()) + " instead of " + Arrays.toString(shape));
    }
    return t;
  }

  /** {@return fresh values for a weight of {@code shape}, fans computed from the shape} */
  public Tensor drawWeight(Rng rng, DType dtype, int... shape) {
    int[] fans = fans(shape);
    return draw(rng, dtype, fans[0], fans[1], shape);
  }

  /** Redraws a parameter in place (for example a weight, fans from its shape). */
  public void reinitialize(Parameter p, Rng rng) {
    int[] fans = fans(p.shape());
    reinitialize(p, fans[0], fans[1], rng);
  }

  /** Redraws a parameter in place with explicit fans (a bias uses its weight's fans). */
  public void reinitialize(Parameter p, int fanIn, int fanOut, Rng rng) {
    Tensor v = draw(rng, p.dtype(), fanIn, fanOut, p.shape());
    try (Grad.Scope off = Grad.disabled()) {
      p.tensor().copyFrom(v);
    }
  }

  /**
   * {@return {fan_in, fan_out} of a weight shape (out, in, k...) as PyTorch computes them}
   *
   * @throws IllegalArgumentException for fewer than two axes
   */
  public static int[] fans(int[] shape) {
    if (shape.length < 2) {
      throw new IllegalArgumentException("Init.fans: fans need a weight with at least 2 axes, got shape " + Arrays.toString(shape));
    }
    int receptive = 1;
    for (int i = 2; i < shape.length; i++) receptive *= shape[i];
    return new int[] {shape[1] * receptive, shape[0] * receptive};
  }

  private static int requirePositive(String rule, String what, int fan) {
    if (fan <= 0) throw new IllegalArgumentException("Init." + rule + ": " + what + " is " + fan + "; it must be positive");
    return fan;
  }

  private static Tensor gaussian(Rng rng, DType dt, int[] shape, double std) {
    Tensor t = Tensor.randn(rng, dt, shape);
    t.mulInPlace(std);
    return t;
  }

  @Override
  public String toString() {
    return name;
  }
}
