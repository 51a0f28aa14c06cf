package ansatz.bench;

/**
 * One timed call of a workload (a training step, a forward pass, one AGOP computation). It
 * returns something the step computed so that JMH can consume it and no JIT can drop the work.
 */
@FunctionalInterface
public interface Step {
  /** Runs the step once. */
  Object run();
}
