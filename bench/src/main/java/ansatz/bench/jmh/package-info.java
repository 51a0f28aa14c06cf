/**
 * JMH benchmarks: GEMM (square sizes and the MLP's shapes), convolution forward and backward of
 * the small CNN, one training step of the MLP and of the CNN, and the MLP's AGOPs. Every class
 * forks one JVM with 2 kernel threads ({@code -Dansatz.threads=2}) and few iterations, so a full
 * run stays within minutes:
 *
 * <pre>java -jar bench/target/benchmarks.jar -rf json -rff results/bench/jmh.json
 * java -jar bench/target/benchmarks.jar Sgemm -p n=1024 -rf json</pre>
 *
 * <p>(Use JDK 25's {@code java}; {@code -jvmArgsAppend -Dansatz.threads=1} overrides the thread count.)
 */
package ansatz.bench.jmh;
