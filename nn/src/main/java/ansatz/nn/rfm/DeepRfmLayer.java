package ansatz.nn.rfm;

import ansatz.nn.metrics.NeuralCollapse;

/**
 * Neural-collapse metrics at one Deep RFM layer.
 *
 * @param layer index, from 0
 * @param input of the layer's input X after its rows were scaled to unit norm
 * @param projected of X M^{1/2} (right after the AGOP projection)
 * @param mapped of the random map's output (the next layer's input before normalization)
 * @param seconds wall time of the layer
 */
public record DeepRfmLayer(int layer, NeuralCollapse.Stats input, NeuralCollapse.Stats projected, NeuralCollapse.Stats mapped, double seconds) {}
