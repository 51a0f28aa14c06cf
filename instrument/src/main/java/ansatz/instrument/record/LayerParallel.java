package ansatz.instrument.record;

import ansatz.autograd.kernel.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Maps a function over a few items on up to (processors) daemon threads, results in input order.
 * The probes' eigendecompositions and products run side by side, each single-threaded ({@link
 * Parallel#serialThread}). Measured on 2 cores: the 784 and 1024 square roots alone took
 * 0.38-0.43 s this way, against 0.43-0.54 s side by side with the kernels' pool (three threads on
 * two cores) and 0.40-0.52 s one after the other. With the products as tasks of their own, longest
 * first ({@link #runLongestFirst}), the whole correlation stage of the trained Fashion-MNIST MLP
 * took 0.48 s against 0.58 s with the products first on both cores and the roots after them (12
 * alternations in one JVM). Each item's result does not depend on the thread it ran on.
 */
final class LayerParallel {
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
    Thread t = Parallel.serialThread(r, "ansatz-probe");
    t.setDaemon(true);
    return t;
  });

  private LayerParallel() {}

  /** Starts the pool's threads (running nothing), so that the first probe finds them, and their classes, loaded. */
  static void startThreads() {
    map(java.util.stream.IntStream.range(0, THREADS).boxed().toList(), i -> i);
  }

  /** A piece of work and its rough cost (any unit, the same for all tasks of one call). */
  record Task(double work, Runnable body) {}

  /**
   * Runs the tasks, the costliest first, each on the next free thread (greedy longest-first
   * scheduling), and returns when all are done. Every thread is a {@link Parallel#serialThread}:
   * one core per task, so tasks side by side do not fight over the cores.
   */
  static void runLongestFirst(List<Task> tasks) {
    List<Task> order = new ArrayList<>(tasks);
    order.sort((a, b) -> Double.compare(b.work(), a.work()));
    map(order, t -> {
      t.body().run();
      return t;
    });
  }

  static <T, R> List<R> map(List<T> items, Function<T, R> f) {
    if (items.size() <= 1 || THREADS == 1) return items.stream().map(f).toList();
    List<Future<R>> futures = new ArrayList<>();
    for (T item : items) futures.add(POOL.submit(() -> f.apply(item)));
    List<R> out = new ArrayList<>();
    for (Future<R> fu : futures) {
      try {
        out.add(fu.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("probe: interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      }
    }
    return out;
  }
}
