package ansatz.nn;

import java.util.function.Supplier;

/** The elementwise nonlinearities, by name, for builders such as {@link Models#mlp}. */
public enum Activation {
  /** {@link ReLU} */
  RELU(ReLU::new),
  /** {@link LeakyReLU} with slope 0.01 */
  LEAKY_RELU(LeakyReLU::new),
  /** {@link Tanh} */
  TANH(Tanh::new),
  /** {@link Sigmoid} */
  SIGMOID(Sigmoid::new),
  /** {@link GELU} (exact) */
  GELU(ansatz.nn.GELU::new),
  /** no nonlinearity: a deep linear network ({@link Identity}) */
  IDENTITY(Identity::new);

  private final Supplier<Module> factory;

  Activation(Supplier<Module> factory) {
    this.factory = factory;
  }

  /** {@return a new module computing this activation} */
  public Module create() {
    return factory.get();
  }
}
