package ansatz.instrument.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the probes' snapshot files on a background thread, so training goes on while tens of
 * megabytes reach the disk. A snapshot holds its own copies of the arrays, so later training steps
 * cannot change what is written. At most one write is pending: {@link #submit} first waits for
 * the previous one. A failed write is reported by the next {@link #submit} or {@link #await},
 * naming the file; the file itself is written atomically ({@link Snapshot#write}), so a failure or
 * a crash never leaves a half-written snapshot under its final name.
 */
final class SnapshotWriter {
  // One writer thread for the JVM (idle threads are not kept per probe set): writes of several
  // probe sets queue behind each other, each probe set still waiting only for its own.
  private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ansatz-snapshot-writer");
    t.setDaemon(true);
    return t;
  });
  private Future<Path> pending;
  private String pendingName;

  /** Queues {@code snapshot} for {@code <runDir>/snapshots/<tag>.npz}, after the previous write has finished. */
  synchronized void submit(Snapshot snapshot, Path runDir, String tag, boolean compressed) {
    await();
    pendingName = runDir.resolve(Snapshot.DIR).resolve(tag + ".npz").toString();
    pending = THREAD.submit(() -> snapshot.write(runDir, tag, compressed));
  }

  /** Waits for the pending write, if any. @throws UncheckedIOException if it failed */
  synchronized void await() {
    if (pending == null) return;
    Future<Path> f = pending;
    pending = null;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("probe: interrupted while writing " + pendingName, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw new UncheckedIOException("probe: writing the snapshot " + pendingName + " failed: " + io.getMessage(), io);
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error err) throw err;
      throw new IllegalStateException("probe: writing the snapshot " + pendingName + " failed", c);
    }
  }
}
