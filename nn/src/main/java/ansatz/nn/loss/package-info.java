/** Training objectives: {@link ansatz.nn.loss.MSELoss} and {@link ansatz.nn.loss.CrossEntropyLoss}. */
package ansatz.nn.loss;
