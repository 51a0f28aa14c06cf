/**
 * JMH benchmarks and the side-by-side comparison with PyTorch. An application: it exports
 * nothing, and both entry points run from the self-contained {@code benchmarks.jar} on the class
 * path (JMH forks its measurement JVMs with that class path).
 */
@SuppressWarnings("requires-automatic") // JMH is an automatic module, see below
module ansatz.bench {
  requires ansatz.instrument;
  // JMH has no module descriptor and no Automatic-Module-Name: the name comes from the jar file.
  requires jmh.core;
  // Heap and CPU-load monitors.
  requires java.management;
  requires jdk.management;
}
