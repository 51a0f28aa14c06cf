package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {
  @TempDir Path dir;

  @Test
  void parsesSyntheticWithOptions() {
    DataSpec spec = DataSpec.parse("synthetic:x1x2:d=100,n=200,n-test=50,seed=3");
    assertEquals("synthetic", spec.kind());
    assertEquals("x1x2", spec.target());
    assertEquals(Map.of("d", "100", "n", "200", "n-test", "50", "seed", "3"), spec.options());
    Split s = spec.load();
    assertArrayEquals(new int[] {200, 100}, s.train().inputs().shape());
    assertEquals(50, s.test().size());
    Split direct = Synthetic.builder("x1x2").d(100).n(200).nTest(50).seed(3).build();
    assertArrayEquals(direct.train().inputs().toFloatArray(), s.train().inputs().toFloatArray());
    assertEquals(spec, DataSpec.parse(spec.toString()), "canonical form parses back");
  }

  @Test
  void parsesFashionMnistForms() throws IOException {
    assertNull(DataSpec.parse("fashion-mnist").target());
    DataSpec limited = DataSpec.parse("fashion-mnist:n=100,shape=image");
    assertNull(limited.target());
    assertEquals("100", limited.options().get("n"));
    assertEquals(limited, DataSpec.parse(limited.toString()));
    IdxTest.writeSet(dir, 8, 4, 2, 3, true);
    Split s = DataSpec.parse("fashion-mnist:" + dir + ":n=5,n-test=3,shape=image,dtype=float64").load();
    assertArrayEquals(new int[] {5, 1, 2, 3}, s.train().inputs().shape());
    assertEquals(3, s.test().size());
    assertEquals(DType.FLOAT64, s.train().inputs().dtype());
    assertArrayEquals(new int[] {8, 6}, DataSpec.parse("fashion-mnist:" + dir).load().train().inputs().shape());
  }

  @Test
  void parsesCsv() throws IOException {
    Path f = dir.resolve("d.csv");
    StringBuilder sb = new StringBuilder("y,a,b\n");
    for (int i = 0; i < 20; i++) sb.append(i % 2).append(',').append(i).append(',').append(2 * i).append('\n');
    Files.writeString(f, sb.toString());
    Split s = DataSpec.parse("csv:" + f + ":label=y").load();
    assertEquals(16, s.train().size());
    assertEquals(4, s.test().size());
    assertEquals(2, s.train().numClasses());
    assertArrayEquals(new int[] {16, 2}, s.train().inputs().shape());
    Split byIndex = DataSpec.parse("csv:" + f + ":label=0").load();
    assertArrayEquals(s.test().labels(), byIndex.test().labels());
  }

  @Test
  void clearErrors() {
    assertMessage("mnist:x", "unknown kind 'mnist'");
    assertMessage("synthetic", "task name");
    assertMessage("synthetic:x1x4", "unknown task 'x1x4'");
    assertMessage("synthetic:x1x2:d=abc", "d=abc");
    assertMessage("synthetic:x1x2:depth=3", "unknown option 'depth'");
    assertMessage("synthetic:x1x2:d", "key=value");
    assertMessage("synthetic:x1x2:d=3,d=4", "twice");
    assertMessage("fashion-mnist:n=0", "n=0");
    assertMessage("fashion-mnist:shape=square", "flat or image");
    assertMessage("csv", "file path");
    assertMessage("csv:/tmp/x.csv:lable=y", "unknown option 'lable'");
    assertMessage("", "empty");
    assertMessage("synthetic:x1x2:d=3:n=4", "too many");
  }

  private static void assertMessage(String spec, String fragment) {
    var e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(spec));
    assertTrue(e.getMessage().contains(fragment), "'" + spec + "' -> " + e.getMessage());
  }
}
