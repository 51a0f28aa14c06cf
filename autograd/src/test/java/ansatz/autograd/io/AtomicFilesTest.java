package ansatz.autograd.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  static List<Path> listDir(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void createsAndReplaces() throws IOException {
    Path p = dir.resolve("notes.txt");
    AtomicFiles.writeString(p, "first");
    assertEquals("first", Files.readString(p));
    AtomicFiles.writeString(p, "second, longer — ünïcode");
    assertEquals("second, longer — ünïcode", Files.readString(p, StandardCharsets.UTF_8));
    AtomicFiles.writeBytes(p, new byte[] {1, 2});
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(p));
    assertEquals(List.of(p), listDir(dir), "no temp files left");
  }

  @Test
  void relativePathsWork() throws IOException {
    Path rel = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.bin"));
    AtomicFiles.writeBytes(rel, new byte[] {9});
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(dir.resolve("rel.bin")));
  }

  @Test
  void aWriterThatFailsHalfwayLeavesTheOldFileIntact() throws IOException {
    Path p = dir.resolve("model.npz");
    AtomicFiles.writeString(p, "old complete content");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
      out.write(new byte[100_000]); // more than the buffer, so some bytes reach the temp file
      throw new IOException("disk full (simulated)");
    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertEquals("old complete content", Files.readString(p));
    assertEquals(List.of(p), listDir(dir), "temp file removed");
  }

  @Test
  void aFailedFirstWriteCreatesNothing() throws IOException {
    Path p = dir.resolve("new.bin");
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(p, out -> {
      out.write(1);
      throw new UncheckedIOException(new IOException("boom"));
    }));
    assertEquals(List.of(), listDir(dir));
  }

  @Test
  void theTargetOnlyChangesAtTheEnd() throws IOException {
    Path p = dir.resolve("state.txt");
    AtomicFiles.writeString(p, "v1");
    AtomicFiles.write(p, out -> {
      out.write("v2 part one ".getBytes(StandardCharsets.UTF_8));
      out.flush();
      // Mid-write, readers still see the complete old version, and the new bytes sit in a temp file.
      try {
        assertEquals("v1", Files.readString(p));
        assertEquals(2, listDir(dir).size(), "target plus one temp file");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.close(); // closing early is allowed
    });
    assertEquals("v2 part one ", Files.readString(p));
    assertEquals(List.of(p), listDir(dir));
  }

  @Test
  void missingDirectoryIsAnError() {
    Path p = dir.resolve("no/such/dir/x.bin");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeBytes(p, new byte[1]));
    assertTrue(e.getMessage().contains("no/such/dir"), e.getMessage());
  }
}
