/**
 * Data for Ansatz: the {@link ansatz.nn.data.Dataset} type and its {@link ansatz.nn.data.DataLoader},
 * loaders (Fashion-MNIST/IDX, CSV, synthetic tasks with known AGOP), preprocessing fitted on the
 * training split only, and {@link ansatz.nn.data.DataSpec} strings such as
 * {@code synthetic:x1x2:d=100,n=2000}, {@code fashion-mnist}, {@code csv:data.csv:label=y}.
 */
package ansatz.nn.data;
