/**
 * The application: one class per claim, the report writer and the {@code ansatz} command line.
 * It exports nothing; {@code ./ansatz} runs it from a self-contained jar.
 */
module ansatz.experiments {
  requires ansatz.instrument;
  requires info.picocli;
  // Colors of the convolutional NFA charts.
  requires java.desktop;

  // picocli fills the annotated option fields of the commands by reflection.
  opens ansatz.experiments.cli to info.picocli;
}
