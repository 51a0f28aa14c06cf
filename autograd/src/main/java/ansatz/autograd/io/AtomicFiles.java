package ansatz.autograd.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers (and a crash) only ever see the old file or the complete new one:
 * the content goes to a temporary file in the same directory, is forced to disk, and then replaces
 * the target with one rename. Checkpoints, snapshots and every file Ansatz writes go through here.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("metrics.json"), json);
 * AtomicFiles.write(dir.resolve("big.bin"), out -> { ... write to out ... });
 * }</pre>
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Produces the content of a file; it may throw, and then the target is left untouched. */
  @FunctionalInterface
  public interface Content {
    /** Writes the whole content to {@code out} (buffered; closing it is allowed but not needed). */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces (or creates) {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces (or creates) {@code target} with what {@code content} writes. If
   * {@code content} throws, the temporary file is deleted, the target keeps its old content and
   * the exception propagates.
   */
  public static void write(Path target, Content content) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    // Same directory as the target: a rename within one file system is atomic.
    Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
    // CREATE_NEW (not Files.createTempFile) so the file gets the usual permissions, not 0600.
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    try {
      try (ch) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.writeTo(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
          }

          @Override
          public void close() throws IOException {
            out.flush(); // keep the channel open for force() below
          }
        });
        out.flush();
        ch.force(true);
      }
      moveIntoPlace(tmp, abs);
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        t.addSuppressed(e);
      }
      throw t;
    }
    syncDirectory(dir);
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Best effort: makes the rename itself durable (works on Linux and macOS, not on Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not all platforms can open a directory; the data itself is already on disk.
    }
  }
}
