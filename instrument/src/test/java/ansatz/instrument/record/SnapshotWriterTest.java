package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.autograd.io.Npz;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
  @TempDir
  Path dir;

  @Test
  void writesInTheBackgroundWhatWasCopiedAtSubmission() throws Exception {
    Tensor t = Tensor.of(new double[] {1, 2, 3}, 3);
    Snapshot s = new Snapshot();
    s.put("x", t);
    t.toFloat64().doubles()[0] = 99; // the caller's tensor changes after submission: the file must not
    SnapshotWriter w = new SnapshotWriter();
    w.submit(s, dir, "epoch-0001", false);
    w.await();
    Path file = dir.resolve(Snapshot.DIR).resolve("epoch-0001.npz");
    assertArrayEquals(new double[] {1, 2, 3}, Npz.read(file).get("x").toTensor().to(DType.FLOAT64).toDoubleArray());
  }

  @Test
  void aFailedWriteIsReportedNamingTheFile() throws Exception {
    Files.writeString(dir.resolve(Snapshot.DIR), "a file where the snapshots directory should be");
    Snapshot s = new Snapshot();
    s.put("x", Tensor.of(new double[] {1}, 1));
    SnapshotWriter w = new SnapshotWriter();
    w.submit(s, dir, "epoch-0002", false);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, w::await);
    assertTrue(e.getMessage().contains("epoch-0002.npz"), e.getMessage());
    w.await(); // reported once; the writer is usable again
  }
}
