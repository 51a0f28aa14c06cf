package ansatz.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, statistics and the summary files of the side-by-side driver (no workload is run). */
class BenchPlumbingTest {

  @Test
  void readsThePyTorchScriptsResultLines() {
    Map<String, Object> d = JsonLine.parse("{\"bench\": \"mlp_train_ce\", \"median\": 10.9, \"reps\": 230, "
        + "\"summary\": true, \"note\": \"a \\\"q\\\" \\u00e9\", \"x\": null, \"e\": -1.5e-3}");
    assertEquals("mlp_train_ce", d.get("bench"));
    assertEquals(10.9, JsonLine.number(d, "median"));
    assertEquals(230.0, JsonLine.number(d, "reps"));
    assertEquals(Boolean.TRUE, d.get("summary"));
    assertEquals("a \"q\" \u00e9", d.get("note"));
    assertNull(d.get("x"));
    assertEquals(-1.5e-3, JsonLine.number(d, "e"));
    assertTrue(Double.isNaN(JsonLine.number(d, "absent")));
  }

  @Test
  void rejectsWhatItCannotRead() {
    var e = assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\": [1, 2]}"));
    assertTrue(e.getMessage().contains("column"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\": 1} x"));
    assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\" 1}"));
  }

  @Test
  void statsUseTheSameQuantilesAsThePythonSide() {
    Stats s = Stats.of(new double[] {5, 1, 4, 2, 3, 10, 6, 7, 9, 8});
    assertEquals(5.5, s.median());
    assertEquals(1, s.min());
    assertEquals(10, s.max());
    assertEquals(5.5, s.mean(), 1e-12);
    assertEquals(2, s.p10()); // round(0.1 * 9) = 1 -> second smallest
    assertEquals(9, s.p90()); // round(0.9 * 9) = 8
    assertEquals(10, s.reps());
    assertEquals(3, Stats.median(new double[] {3}));
  }

  @Test
  void timerHonoursWarmupMinimumRepsAndMinimumTime() {
    int[] calls = new int[1];
    double[] ms = StepTimer.time(() -> ++calls[0], 4, 7, 0, 100);
    assertEquals(7, ms.length);
    assertEquals(11, calls[0]);
    double[] capped = StepTimer.time(() -> null, 0, 1, 60, 3);
    assertEquals(3, capped.length, "maxReps bounds a long minimum time");
    calls[0] = 0;
    long t0 = System.nanoTime();
    StepTimer.time(() -> ++calls[0], 1, 0.05, 1, 0, 1);
    assertTrue(System.nanoTime() - t0 >= 50_000_000L, "the warm-up lasts at least its minimum time");
    assertTrue(calls[0] > 2, "more than the one warm-up call was made: " + calls[0]);
  }

  @Test
  void settingsQuickAndErrors() {
    BenchSettings q = BenchSettings.parse("--quick", "--no-torch", "--workloads", "mlp_train_ce,sgemm_1024");
    assertEquals(1, q.rounds());
    assertEquals(0.5, q.minTime());
    assertEquals(0, q.maxWait());
    assertEquals(1.5, q.warmupTime());
    assertEquals(List.of("mlp_train_ce", "sgemm_1024"), q.workloads());
    BenchSettings f = BenchSettings.parse("--rounds", "5", "--torch-script", "/x/torch_bench.py");
    assertEquals(5, f.rounds());
    assertEquals(Path.of("/x/torch_bench.py"), f.torchScript());
    assertEquals(Path.of("results", "bench"), f.out());
    var bad = assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse("--workloads", "nope"));
    assertTrue(bad.getMessage().contains("unknown workload 'nope'") && bad.getMessage().contains("mlp_train_ce"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse("--rounds", "0"));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse("--rounds"));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse("--heap", "lots"));
    assertThrows(IllegalArgumentException.class, () -> BenchSettings.parse("--frobnicate"));
  }

  @Test
  void workloadNamesAreThePyTorchOnes() {
    assertEquals(List.of("sgemm_1024", "mlp_train_ce", "mlp_train_mse", "mlp_infer_b1024", "cnn_train", "agop_mlp", "patch_agop_cnn"),
        List.copyOf(Workloads.all().keySet()));
    assertEquals(List.of("agop_mlp_autograd", "agop_mlp_vmap"), TorchSide.twins("agop_mlp"));
    assertEquals(List.of("patch_agop_cnn", "patch_agop_cnn_zgrad"), TorchSide.twins("patch_agop_cnn"));
  }

  @Test
  void rowsTakeMediansOverRoundsAndCompareWithTheRightPyTorchBench(@TempDir Path dir) throws Exception {
    BenchRow agop = new BenchRow(Workloads.find("agop_mlp").orElseThrow());
    agop.ansatz.add(ansatzLine(500, 300));
    agop.ansatz.add(ansatzLine(700, 200));
    agop.ansatz.add(ansatzLine(400, 250));
    for (double t : new double[] {1100, 1300, 1000}) agop.torch.computeIfAbsent("agop_mlp_autograd", k -> new java.util.ArrayList<>()).add(torch("agop_mlp_autograd", t));
    agop.torch.computeIfAbsent("agop_mlp_vmap", k -> new java.util.ArrayList<>()).add(torch("agop_mlp_vmap", 900));
    assertEquals(500, agop.ansatzMs());
    assertEquals("agop_mlp_autograd", agop.torchReference(), "the AGOP target is stated against autograd, even when vmap is faster");
    assertEquals(1100, agop.torchMs());
    assertEquals(500.0 / 1100, agop.ratio(), 1e-12);
    assertEquals(Boolean.TRUE, agop.targetMet());
    Map<String, Object> j = agop.toJson();
    assertEquals(300.0, j.get("ansatz_peak_heap_mb"), "peak heap is the largest over rounds");

    BenchRow patch = new BenchRow(Workloads.find("patch_agop_cnn").orElseThrow());
    patch.ansatz.add(ansatzLine(1000, 100));
    patch.torch.computeIfAbsent("patch_agop_cnn", k -> new java.util.ArrayList<>()).add(torch("patch_agop_cnn", 1900));
    patch.torch.computeIfAbsent("patch_agop_cnn_zgrad", k -> new java.util.ArrayList<>()).add(torch("patch_agop_cnn_zgrad", 1250));
    assertEquals("patch_agop_cnn_zgrad", patch.torchReference(), "patch AGOP compares with PyTorch's faster method");
    assertEquals(Boolean.FALSE, patch.targetMet());

    BenchRow alone = new BenchRow(Workloads.find("mlp_infer_b1024").orElseThrow());
    alone.ansatz.add(ansatzLine(30, 50));
    assertNull(alone.toJson().get("ratio"));
    assertNull(alone.targetMet());

    Map<String, Object> machine = new LinkedHashMap<>(Map.of("cpu_model", "Test CPU", "cores", 2, "java", "25", "date", "today"));
    Map<String, Object> settings = new LinkedHashMap<>(Map.of("threads", 2, "rounds", 3, "min_time_s", 2.0, "quick", false));
    SummaryFiles.write(dir, machine, settings, List.of(agop, patch, alone));
    String json = Files.readString(dir.resolve("summary.json"));
    Map<String, Object> firstRow = JsonLine.parse(json.substring(json.indexOf("{", json.indexOf("\"rows\"")),
        json.indexOf("\"torch_ms_by_bench\"")).replaceAll(",\\s*$", "") + "}");
    assertEquals("agop_mlp", firstRow.get("workload"));
    assertEquals(500.0, JsonLine.number(firstRow, "ansatz_ms"));
    assertEquals(1100.0, JsonLine.number(firstRow, "torch_ms"));
    String md = Files.readString(dir.resolve("summary.md"));
    assertTrue(md.contains("| agop_mlp | 500 | 1100 | 0.45 | <= 0.5 | yes |"), md);
    assertTrue(md.contains("| patch_agop_cnn | 1000 | 1250 | 0.80 | <= 0.5 | **no** |"), md);
    assertTrue(md.contains("| mlp_infer_b1024 | 30.00 | - | - | - | - |"), md);
    assertFalse(md.contains("NaN"), md);
    assertFalse(md.contains("(!)"), "quiet rows are not flagged: " + md);

    BenchRow busy = new BenchRow(Workloads.find("mlp_train_ce").orElseThrow());
    Map<String, Object> line = ansatzLine(20, 100);
    line.put("others_cores", 1.4);
    busy.ansatz.add(line);
    String busyMd = SummaryFiles.markdown(machine, settings, List.of(busy));
    assertTrue(busyMd.contains("| 1.40 (!) |") && busyMd.contains("not a reliable comparison"), busyMd);
  }

  private static Map<String, Object> ansatzLine(double median, double peakHeap) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("median", median);
    d.put("reps", 3.0);
    d.put("peak_heap_mb", peakHeap);
    d.put("live_heap_mb", peakHeap / 2);
    d.put("others_cores", 0.01);
    return d;
  }

  private static TorchSide.Result torch(String bench, double median) {
    return new TorchSide.Result(bench, median, Double.NaN, 400, 0.02, Map.of("gflop_per_step", 100.0));
  }
}
