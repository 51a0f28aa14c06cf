/**
 * The compute kernels: GEMM ({@code Gemm.sgemm/dgemm}, cache-blocked and packed, with Vector API
 * micro-kernels and scalar reference twins), the kernels' thread pool ({@code Parallel}) and the SIMD
 * switch ({@code Simd}, {@code -Dansatz.simd=false}). The only package allowed to import
 * {@code jdk.incubator.vector}; exported only to the other Ansatz modules.
 */
package ansatz.autograd.kernel;
