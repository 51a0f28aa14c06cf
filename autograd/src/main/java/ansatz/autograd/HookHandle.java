package ansatz.autograd;

/**
 * Returned by every {@code register...Hook} method in Ansatz (tensor hooks here, module hooks in
 * {@code nn}). Closing it removes the hook; closing twice is harmless. Use try-with-resources to
 * keep a hook for exactly one block.
 */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
  /** Removes the hook. */
  @Override
  void close();
}
