/**
 * The example as a named module: on the module path, requiring Ansatz's modules also resolves
 * jdk.incubator.vector (ansatz.autograd requires it), so no --add-modules flag is needed there.
 * Delete this file to build the example on the plain class path instead.
 */
module example.mlpnfa {
  requires ansatz.nn;
  requires ansatz.instrument;
}
