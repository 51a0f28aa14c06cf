package ansatz.autograd.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernels' thread pool: a fixed number of daemon workers plus the calling thread.
 *
 * <p>{@link #forRange} splits {@code [0, n)} into at most {@link #threads()} contiguous chunks
 * and runs them at once. Kernels only ever split their <em>output</em> this way and compute
 * every output element the same way whatever chunk it lands in, so results are bitwise
 * identical for any thread count. That also makes the fallbacks safe: a nested call (from
 * inside a chunk) or a call while another thread holds the pool simply runs serially.
 *
 * <p>Workers spin briefly before parking, because a GEMM issues its fork-joins microseconds
 * apart and a park/unpark round trip costs about as much as a small matrix product.
 */
public final class Parallel {

  /** A loop body over the half-open index range {@code [from, to)}. */
  @FunctionalInterface
  public interface IntRangeBody {
    /** Processes indices {@code from} (inclusive) to {@code to} (exclusive). */
    void run(int from, int to);
  }

  private static final long SPIN_NANOS = 100_000; // ~0.1 ms: covers the gaps inside a GEMM

  private static volatile int threads = initialThreads();

  // Kernels do not split work into tasks smaller than this (~25 us of FMAs on one core): below
  // it the handoff costs more than it saves. Tests lower it to split small shapes.
  static final long DEFAULT_MIN_TASK_FLOPS = 1L << 21;
  private static volatile long minTaskFlops = DEFAULT_MIN_TASK_FLOPS;

  // One job at a time; concurrent callers fall back to running serially.
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static Worker[] workers = new Worker[0]; // guarded by LOCK

  // The current job, published by the volatile write to generation.
  private static IntRangeBody jobBody;
  private static int jobN;
  private static int jobTasks;
  private static volatile int generation;
  private static final AtomicInteger pending = new AtomicInteger();
  private static volatile Throwable failure;

  // Whether the current thread runs every kernel serially: the pool's workers (nested calls) and
  // serialThread()s. A per-thread flag rather than an instanceof test on the caller's class: the
  // JIT speculates on the classes it has seen there, and the first probe's serial threads then
  // invalidated forRange and every compiled method that had inlined it (-XX:+PrintCompilation).
  private static final ThreadLocal<boolean[]> SERIAL = ThreadLocal.withInitial(() -> new boolean[1]);

  private Parallel() {}

  /** Number of threads kernels use: {@code -Dansatz.threads}, default all processors, min 1. */
  public static int threads() {
    return threads;
  }

  /** For tests and benchmarks: sets the thread count used by later calls (min 1). */
  static void setThreads(int t) {
    threads = Math.max(1, t);
  }

  /** Smallest task, in floating-point operations, worth handing to another thread. */
  static long minTaskFlops() {
    return minTaskFlops;
  }

  /** For tests: lets small problems split into many tasks (min 1). */
  static void setMinTaskFlops(long flops) {
    minTaskFlops = Math.max(1, flops);
  }

  private static int initialThreads() {
    int def = Runtime.getRuntime().availableProcessors();
    String s = System.getProperty("ansatz.threads");
    if (s != null && !s.isBlank()) {
      try {
        def = Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ansatz.threads must be an integer, got '" + s + "'");
      }
    }
    return Math.max(1, def);
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into {@code min(threads(), ceil(n / grain))}
   * contiguous chunks of near-equal size, the first on the calling thread, and returns when all
   * are done. An exception thrown by any chunk is rethrown here.
   *
   * @param n number of indices; nothing runs if {@code n <= 0}
   * @param grain minimum indices per chunk (values below 1 count as 1)
   */
  public static void forRange(int n, int grain, IntRangeBody body) {
    if (n <= 0) {
      return;
    }
    int tasks = (int) Math.min(threads, ((long) n + Math.max(1, grain) - 1) / Math.max(1, grain));
    // Serial when nested: inside a worker's chunk, or inside the caller's own chunk (the lock
    // is reentrant, so that case must be caught before tryLock); and on a serialThread. The
    // non-short-circuit | leaves the JIT one branch, which training takes too (tasks <= 1).
    boolean serial = tasks <= 1 | SERIAL.get()[0] | LOCK.isHeldByCurrentThread();
    if (serial || !LOCK.tryLock()) {
      body.run(0, n);
      return;
    }
    try {
      runJob(n, tasks, body);
    } finally {
      LOCK.unlock();
    }
  }

  private static void runJob(int n, int tasks, IntRangeBody body) {
    if (workers.length < tasks - 1) {
      growPool(tasks - 1);
    }
    Worker[] ws = workers;
    jobBody = body;
    jobN = n;
    jobTasks = tasks;
    failure = null;
    pending.set(ws.length);
    generation++; // volatile write publishes the job fields above
    for (Worker w : ws) {
      if (w.parked) {
        LockSupport.unpark(w);
      }
    }
    Throwable mine = null;
    try {
      body.run(0, chunkEnd(n, tasks, 0));
    } catch (Throwable t) {
      mine = t;
    }
    awaitWorkers();
    jobBody = null; // do not keep the caller's buffers reachable
    Throwable t = mine != null ? mine : failure;
    if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error err) {
      throw err;
    } else if (t != null) {
      throw new RuntimeException(t);
    }
  }

  private static void awaitWorkers() {
    int spins = 0;
    while (pending.get() != 0) {
      // Yield now and then: on a busy machine the worker may need our core to finish.
      if (++spins % 1024 == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private static int chunkEnd(int n, int tasks, int t) {
    return (int) ((long) n * (t + 1) / tasks);
  }

  private static void growPool(int size) {
    Worker[] ws = java.util.Arrays.copyOf(workers, size);
    for (int i = workers.length; i < size; i++) {
      ws[i] = new Worker(i + 1, generation);
      ws[i].start();
    }
    workers = ws;
  }

  /**
   * {@return a new (unstarted) thread on which every kernel runs serially}: for work that already
   * runs side by side, one item per core (the probes' eigendecompositions), where handing chunks to
   * the pool would put three threads on two cores. The numbers are the same bits either way.
   */
  public static Thread serialThread(Runnable body, String name) {
    return new SerialThread(body, name);
  }

  private static final class SerialThread extends Thread {
    SerialThread(Runnable body, String name) {
      super(body, name);
    }

    @Override
    public void run() {
      SERIAL.get()[0] = true;
      super.run();
    }
  }

  /** A daemon worker that runs chunk {@code index} of every job that has that many chunks. */
  private static final class Worker extends Thread {
    private final int index;
    private int seen;
    volatile boolean parked;

    Worker(int index, int seen) {
      super("ansatz-kernel-" + index);
      this.index = index;
      this.seen = seen;
      setDaemon(true);
    }

    @Override
    public void run() {
      SERIAL.get()[0] = true;
      while (true) {
        awaitJob();
        seen = generation;
        if (index < jobTasks) {
          try {
            jobBody.run(chunkEnd(jobN, jobTasks, index - 1), chunkEnd(jobN, jobTasks, index));
          } catch (Throwable t) {
            failure = t;
          }
        }
        pending.decrementAndGet();
      }
    }

    private void awaitJob() {
      long start = System.nanoTime();
      int spins = 0;
      while (generation == seen) {
        if (++spins % 256 != 0 || System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
          continue;
        }
        // Dekker-style handshake with runJob: either we see the new generation after setting
        // parked, or the caller sees parked and unparks us.
        parked = true;
        if (generation == seen) {
          LockSupport.park(this);
        }
        parked = false;
      }
    }
  }
}
