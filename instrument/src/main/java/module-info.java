/**
 * Feature-learning probes: weight Grams (NFM), chain-rule and direct AGOPs, NFA correlations,
 * tangent-feature alignment, the empirical NTK and critical learning rate, catapult detection,
 * neural collapse, the probe listener with its snapshots, and charts.
 */
// EJML, XChart and VectorGraphics2D are automatic modules (no descriptor of their own), which
// javac flags on every "requires"; that is the best those libraries offer.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module ansatz.instrument {
  // Modules, tensors and the trainer's listener appear in the probes' signatures.
  requires transitive ansatz.nn;
  // The charts draw with AWT (headless); ChartFiles.Painter hands a java.awt.Graphics2D to
  // custom drawings, so users of that API read java.desktop too.
  requires transitive java.desktop;
  // XChart declares Automatic-Module-Name org.knowm.xchart; the chart builders return its
  // XYChart and CategoryChart, so users of the charts read it too. VectorGraphics2D (SVG output)
  // has no descriptor, so its name comes from its jar file name.
  requires transitive org.knowm.xchart;
  requires VectorGraphics2D;
  // Symmetric eigendecompositions and SVDs (see module ansatz.nn for why these names). Matrices
  // converts to and from EJML's DMatrixRMaj in its API, hence ejml.core is transitive.
  requires transitive ejml.core;
  requires ejml.ddense;

  exports ansatz.instrument;
  exports ansatz.instrument.agop;
  exports ansatz.instrument.chart;
  exports ansatz.instrument.collapse;
  exports ansatz.instrument.ntk;
  exports ansatz.instrument.record;
  // Dense float64 linear algebra behind the probes: part of the API because NfaVariant names its
  // Correlation and EmpiricalNtk returns a Matrices.Eigen, and useful on its own for W^T W, AGOPs.
  exports ansatz.instrument.math;
}
