/**
 * PNG and SVG charts of the experiments (XChart for line charts, java.awt for heatmaps), headless,
 * written atomically: loss with catapults ({@link ansatz.instrument.chart.Charts#loss}), NFA
 * correlations over time ({@link ansatz.instrument.chart.Charts#nfa}), lambda_max against 2/eta
 * ({@link ansatz.instrument.chart.Charts#lambdaMax}), NC1 per layer ({@link
 * ansatz.instrument.chart.Charts#nc1ByLayer}) and NFM / AGOP^{1/2} heatmaps side by side ({@link
 * ansatz.instrument.chart.Heatmaps}).
 */
package ansatz.instrument.chart;
