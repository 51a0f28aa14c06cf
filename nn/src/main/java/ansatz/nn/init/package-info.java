/** Weight initialization rules ({@link ansatz.nn.init.Init}) with the formulas of {@code torch.nn.init}. */
package ansatz.nn.init;
