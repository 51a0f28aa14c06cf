package ansatz.instrument.chart;

import java.awt.Color;

/** Two colour maps by piecewise-linear interpolation between anchor colours. */
final class Colormaps {
  private Colormaps() {}

  /** Approximately viridis (dark purple to yellow): perceptually ordered, fine in greyscale. */
  private static final int[][] SEQUENTIAL = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

  /** Blue - white - red, white at the middle. */
  private static final int[][] DIVERGING = {{33, 102, 172}, {146, 197, 222}, {247, 247, 247}, {244, 165, 130}, {178, 24, 43}};

  /** @param t in [0, 1] */
  static Color sequential(double t) {
    return interpolate(SEQUENTIAL, t);
  }

  /** @param t in [0, 1]; 0.5 is white */
  static Color diverging(double t) {
    return interpolate(DIVERGING, t);
  }

  private static Color interpolate(int[][] anchors, double t) {
    double s = Math.max(0, Math.min(1, t)) * (anchors.length - 1);
    int i = Math.min((int) s, anchors.length - 2);
    double f = s - i;
    int[] a = anchors[i], b = anchors[i + 1];
    return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])), (int) Math.round(a[2] + f * (b[2] - a[2])));
  }
}
