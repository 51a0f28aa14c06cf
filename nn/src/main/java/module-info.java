/**
 * Neural-network building blocks with PyTorch's semantics on top of {@code ansatz.autograd}:
 * modules and hooks, layers, initialization, losses, optimizers, datasets, the trainer with
 * checkpoints, kernel machines (RFM) and neural-collapse metrics.
 */
// "module": the qualified export below names modules compiled later in the reactor.
// "requires-automatic": EJML is an automatic module (see below), which javac flags.
@SuppressWarnings({"module", "requires-automatic"})
module ansatz.nn {
  // Tensor and Rng appear in every signature here, so users of nn read autograd too.
  requires transitive ansatz.autograd;
  // EJML has no module descriptor and no Automatic-Module-Name, so these names come from the jar
  // file names (ejml-core-*.jar, ejml-ddense-*.jar) and are stable across versions. Only the
  // float64 dense part is used; the other EJML jars (ejml-all) would split packages such as
  // org.ejml.dense.row between automatic modules, so the build depends on ejml-ddense alone.
  // No EJML type appears in this module's API, hence no "transitive".
  requires ejml.core;
  requires ejml.ddense;

  exports ansatz.nn;
  exports ansatz.nn.data;
  exports ansatz.nn.init;
  exports ansatz.nn.loss;
  exports ansatz.nn.metrics;
  exports ansatz.nn.optim;
  exports ansatz.nn.rfm;
  exports ansatz.nn.train;
  // A minimal JSON writer/reader for metrics.jsonl and summary.json, shared with the modules that
  // write or read those files; not a JSON library we want users to build on.
  exports ansatz.nn.io to
      ansatz.instrument,
      ansatz.experiments,
      ansatz.bench;
}
