/**
 * Kernel machines that learn features through the AGOP (DEFINITIONS.md section 8).
 *
 * <ul>
 *   <li>{@link ansatz.nn.rfm.KernelMatrix}, {@link ansatz.nn.rfm.Kernel}: Laplace and Gaussian
 *       Mahalanobis kernels, computed through GEMM in blocks of rows, float32 or float64.
 *   <li>{@link ansatz.nn.rfm.KernelRidge} / {@link ansatz.nn.rfm.KernelPredictor}: kernel ridge
 *       regression by blocked Cholesky, batched prediction, analytic input Jacobians and AGOP.
 *   <li>{@link ansatz.nn.rfm.Rfm}: Recursive Feature Machines ({@link ansatz.nn.rfm.RfmOptions},
 *       {@link ansatz.nn.rfm.RfmResult}).
 *   <li>{@link ansatz.nn.rfm.DeepRfm}: Deep RFM with neural-collapse metrics per layer.
 *   <li>{@link ansatz.nn.rfm.LinRfm}, {@link ansatz.nn.rfm.Irls}: linear RFM (= IRLS-p) for sparse
 *       regression and low-rank matrix completion.
 *   <li>{@link ansatz.nn.rfm.PsdPower}: powers of PSD matrices (M^{1/2}).
 * </ul>
 *
 * <pre>{@code
 * RfmResult r = Rfm.fit(xTrain, yTrain, xTest, yTest,
 *     RfmOptions.defaults().withRidge(1e-4).withCenterGradients(true));
 * Tensor m = r.metric();                 // the learned feature matrix M
 * double r2 = r.last().test().r2();      // after the final refit
 * }</pre>
 */
package ansatz.nn.rfm;
