/**
 * The application: one class per claim, the report writer and the {@code ansatz} command line.
 * It exports nothing; {@code ./ansatz} runs it from a self-contained jar.
 */
module ansatz.experiments {
  requires ansatz.instrument;
  requires info.picocli;
  // Colors of the convolutional NFA charts.
  requires java.desktop;

  // picocli fills the annotated option fields by reflection: the commands', every experiment's
  // and BaseExperiment's (only matters on the module path; ./ansatz runs on the class path).
  opens ansatz.experiments to info.picocli;
  opens ansatz.experiments.claims to info.picocli;
  opens ansatz.experiments.cli to info.picocli;
}
