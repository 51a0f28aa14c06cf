package ansatz.nn.rfm;

/**
 * One kernel fit of an RFM run.
 *
 * @param iteration t: the fit used M_t (t = 0 is the plain kernel with M = I; the last entry of
 *     {@link RfmResult#iterations()} is the final refit with M_T)
 * @param train scores on the training set
 * @param test scores on the test set ({@link Scores#NONE} without one)
 * @param seconds wall time of the fit, the scoring and (except for the final refit) the M update
 */
public record RfmIteration(int iteration, Scores train, Scores test, double seconds) {}
