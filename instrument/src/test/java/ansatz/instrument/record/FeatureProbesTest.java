package ansatz.instrument.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.io.NdArray;
import ansatz.autograd.io.Npz;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.nn.Activation;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameterization;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureProbesTest {
  static Dataset x1x2(int n, int d) {
    return Synthetic.builder("x1x2").d(d).n(n).nTest(0).seed(1).build().train();
  }

  static Module mlp(long seed, int d) {
    return Models.mlp(new int[] {d, 16, 12, 1}, Activation.RELU, false, new Rng(seed));
  }

  @Test
  void recordsEveryEpochWithBaselinesSnapshotsAndModelJson(@TempDir Path dir) throws Exception {
    Dataset data = x1x2(240, 5);
    Module model = mlp(2, 5);
    Map<String, Tensor> init = model.stateDict();
    FeatureProbes probes = FeatureProbes.attach(model, data, ProbeConfig.builder().probeSamples(100).batchSize(40).build());
    ManualTraining t = new ManualTraining(model, data, dir);
    t.run(probes, 3, 4, 0.05);

    // --- probes at init and after every epoch, no extra one at the end
    assertEquals(List.of("epoch-0000", "epoch-0001", "epoch-0002", "epoch-0003"), probes.history().stream().map(FeatureProbes.Probe::tag).toList());
    for (String tag : List.of("epoch-0000", "epoch-0001", "epoch-0002", "epoch-0003")) {
      assertTrue(Files.exists(dir.resolve("snapshots").resolve(tag + ".npz")), tag);
    }

    // --- metrics rows: named variants, baselines = the init values
    List<Map<String, Object>> rows = readJsonl(dir.resolve("metrics.jsonl"));
    assertEquals(t.rows.size(), rows.size());
    Map<String, Object> initValues = new HashMap<>();
    Set<String> quantities = new TreeSet<>();
    for (Map<String, Object> r : rows) {
      for (String k : List.of("step", "epoch", "probe", "layer", "quantity", "variant", "value", "baseline")) assertTrue(r.containsKey(k), k + " in " + r);
      quantities.add((String) r.get("quantity"));
      String key = r.get("layer") + "|" + r.get("quantity") + "|" + r.get("variant");
      if (r.get("probe").equals("epoch-0000")) {
        initValues.put(key, r.get("value"));
        assertEquals(r.get("value"), r.get("baseline"), key);
      } else {
        assertEquals(initValues.get(key), r.get("baseline"), key);
      }
      if (!r.get("quantity").equals("weight_change")) {
        String v = (String) r.get("variant");
        assertEquals(r.get("corr") + ",alpha=" + alphaText((Double) r.get("alpha")) + ",init_removed=" + r.get("init_removed")
            + ",grad_centered=" + r.get("grad_centered"), v);
      }
    }
    assertEquals(Set.of("agop_alignment", "c_nfa", "nfa", "uc_nfa", "weight_change"), quantities);
    // The default report is there for every layer and probe, with its alpha = 1 twin.
    FeatureProbes.Probe last = probes.latest();
    for (String layer : List.of("0", "2", "4")) {
      assertFalse(Double.isNaN(last.value(layer, "nfa", "pearson,alpha=0.5,init_removed=false,grad_centered=false")), layer);
      assertFalse(Double.isNaN(last.value(layer, "nfa", "pearson,alpha=1,init_removed=false,grad_centered=false")), layer);
      assertTrue(last.value(layer, "weight_change", "-") > 0, layer);
    }
    assertTrue(last.value("model", "agop_alignment", "cosine,alpha=1,init_removed=false,grad_centered=false") > 0);

    // --- the last snapshot is complete and consistent with the model
    Map<String, NdArray> snap = Npz.read(dir.resolve("snapshots/epoch-0003.npz"));
    Set<String> expectedKeys = new TreeSet<>();
    for (String p : model.stateDict().keySet()) {
      expectedKeys.add("param." + p);
      expectedKeys.add("init." + p);
    }
    expectedKeys.addAll(List.of("probe.inputs", "probe.targets", "probe.indices"));
    for (String l : List.of("0", "2", "4")) expectedKeys.addAll(List.of(l + ".nfm", l + ".nfm_init_removed", l + ".agop", l + ".ptf_k"));
    assertEquals(expectedKeys, new TreeSet<>(snap.keySet()));
    for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
      assertArrayEquals(e.getValue().toFloatArray(), snap.get("param." + e.getKey()).toTensor().toFloatArray(), e.getKey());
      assertArrayEquals(init.get(e.getKey()).toFloatArray(), snap.get("init." + e.getKey()).toTensor().toFloatArray(), e.getKey());
    }
    assertEquals(100, snap.get("probe.indices").numel());
    Tensor inputs = snap.get("probe.inputs").toTensor();
    assertArrayEquals(data.inputs().rows(snap.get("probe.indices").toIntArray()).toFloatArray(), inputs.toFloatArray());

    // --- model.json rebuilds the network; with param.* it computes the same function and AGOPs
    Map<String, Object> desc = MiniJson.object(Files.readString(dir.resolve("model.json")));
    Module rebuilt = ModelRebuild.from(desc);
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray> e : snap.entrySet()) if (e.getKey().startsWith("param.")) params.put(e.getKey().substring(6), e.getValue().toTensor());
    rebuilt.loadStateDict(params);
    assertArrayEquals(model.call(inputs).toFloatArray(), rebuilt.call(inputs).toFloatArray());
    Map<String, LayerAgop> again = new ChainRuleAgop(rebuilt, ProbedLayer.all(rebuilt)).compute(inputs);
    for (String l : List.of("0", "2", "4")) {
      Tensor saved = snap.get(l + ".agop").toTensor();
      double err = again.get(l).agop().sub(saved.toFloat64()).abs().max().item(), scale = saved.abs().max().item();
      assertTrue(err <= 1e-5 * scale, "agop " + l + " err " + err);
      Tensor w = params.get(l + ".weight").toFloat64();
      double nfmErr = w.t().matmul(w).sub(snap.get(l + ".nfm").toTensor().toFloat64()).abs().max().item();
      assertTrue(nfmErr <= 1e-5 * w.t().matmul(w).abs().max().item(), "nfm " + l);
    }

    // --- probes.json
    Map<String, Object> summary = MiniJson.object(Files.readString(dir.resolve("probes.json")));
    assertEquals(4.0, summary.get("probes"));
    assertEquals("epoch-0003", summary.get("last_probe"));
    assertNotNull(((Map<?, ?>) summary.get("last")).get("0"));
    assertTrue(((Map<?, ?>) summary.get("config")).containsKey("default_report"));
  }

  @Test
  void stepScheduleTagsAndAFinalProbe(@TempDir Path dir) {
    Dataset data = x1x2(60, 3);
    Module model = mlp(4, 3);
    ProbeConfig cfg = ProbeConfig.builder().everySteps(4).probeSamples(30).quantities(Quantity.NFA, Quantity.WEIGHT_CHANGE).snapshots(false).build();
    FeatureProbes probes = FeatureProbes.attach(model, cfg);
    new ManualTraining(model, data, dir).run(probes, 2, 3, 0.05); // 6 steps: probes at 0, 4 and a final one at 6
    assertEquals(List.of("step-000000", "step-000004", "step-000006"), probes.history().stream().map(FeatureProbes.Probe::tag).toList());
    assertFalse(Files.exists(dir.resolve("snapshots")));
    Set<String> q = new TreeSet<>();
    for (var m : probes.latest().measurements()) q.add(m.quantity());
    assertEquals(Set.of("nfa", "weight_change"), q);
  }

  @Test
  void snapshotEveryKeepsInitEveryKthAndTheLastProbe(@TempDir Path dir) throws Exception {
    Dataset data = x1x2(60, 3);
    // 5 epochs, probes at epochs 0..5; every 2nd probe: 0, 2, 4, and the last (5) although 5 is odd
    Module model = mlp(4, 3);
    ProbeConfig cfg = ProbeConfig.builder().probeSamples(30).quantities(Quantity.NFA, Quantity.NFM).snapshotEvery(2).build();
    FeatureProbes probes = FeatureProbes.attach(model, cfg);
    new ManualTraining(model, data, dir).run(probes, 5, 3, 0.05);
    assertEquals(6, probes.history().size());
    Set<String> files = new TreeSet<>();
    try (var s = Files.list(dir.resolve("snapshots"))) {
      s.forEach(f -> files.add(f.getFileName().toString()));
    }
    assertEquals(Set.of("epoch-0000.npz", "epoch-0002.npz", "epoch-0004.npz", "epoch-0005.npz"), files);
    // the late-written last snapshot holds the final weights
    Map<String, NdArray> snap = Npz.read(dir.resolve("snapshots/epoch-0005.npz"));
    assertArrayEquals(model.stateDict().get("0.weight").toFloatArray(), snap.get("param.0.weight").toTensor().toFloatArray());
    Map<String, Object> summary = MiniJson.object(Files.readString(dir.resolve("probes.json")));
    assertEquals(List.of("epoch-0000", "epoch-0002", "epoch-0004", "epoch-0005"), summary.get("snapshot_tags"));

    // a final probe off the schedule (step units) is always snapshotted
    Path dir2 = Files.createDirectories(dir.resolve("steps"));
    Module model2 = mlp(4, 3);
    FeatureProbes p2 = FeatureProbes.attach(model2, ProbeConfig.builder().everySteps(4).probeSamples(30).quantities(Quantity.NFA)
        .snapshotEvery(5).build());
    new ManualTraining(model2, data, dir2).run(p2, 2, 3, 0.05); // probes at steps 0, 4 and a final one at 6
    Set<String> files2 = new TreeSet<>();
    try (var s = Files.list(dir2.resolve("snapshots"))) {
      s.forEach(f -> files2.add(f.getFileName().toString()));
    }
    assertEquals(Set.of("step-000000.npz", "step-000006.npz"), files2);
    assertThrows(IllegalArgumentException.class, () -> ProbeConfig.builder().snapshotEvery(0));
  }

  @Test
  void gradCenteredVariantsAndConvLayersAreRecorded(@TempDir Path dir) throws Exception {
    Rng rng = new Rng(5);
    Module model = new Sequential(new Conv2d(1, 3, 3, 1, 1, true, rng), new ReLU(), new Conv2d(3, 2, 2, 2, 0, false, rng), new Tanh(),
        new Flatten(), new Linear(2 * 2 * 2, 2, true, rng));
    Tensor x = Tensor.randn(new Rng(6), 24, 1, 4, 4);
    Dataset data = Dataset.regression("images", x, Tensor.randn(new Rng(7), 24, 2));
    ProbeConfig cfg = ProbeConfig.builder().gradCentered(true).quantities(Quantity.values()).gramSamples(5)
        .referenceAgop("identity", Tensor.eye(16, DType.FLOAT64)).build();
    FeatureProbes probes = FeatureProbes.attach(model, data, cfg);
    new ManualTraining(model, data, dir).run(probes, 1, 2, 0.05);
    Map<String, NdArray> snap = Npz.read(dir.resolve("snapshots/epoch-0001.npz"));
    for (String k : List.of("0.patch_agop", "0.patch_agop_grad_centered", "0.nfm", "0.ptf_k", "0.ptf_k_grad_centered", "0.ptk_gram",
        "2.patch_agop", "5.agop", "5.agop_grad_centered", "5.ptk_gram")) {
      assertTrue(snap.containsKey(k), k + " in " + snap.keySet());
    }
    assertFalse(snap.containsKey("0.agop"));
    assertArrayEquals(new int[] {9, 9}, snap.get("0.patch_agop").shape());
    assertArrayEquals(new int[] {3, 3}, snap.get("0.ptf_k").shape());
    assertArrayEquals(new int[] {5, 5}, snap.get("0.ptk_gram").shape());
    boolean centered = probes.latest().measurements().stream().anyMatch(m -> m.variant() != null && m.variant().gradCentered());
    assertTrue(centered);
    // the first layer is a conv: the model AGOP for the alignment comes from the predictor AGOP
    assertFalse(Double.isNaN(probes.latest().value("model", "agop_alignment", "cosine,alpha=1,init_removed=false,grad_centered=false")));
    Map<String, Object> desc = MiniJson.object(Files.readString(dir.resolve("model.json")));
    Module rebuilt = ModelRebuild.from(desc);
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray> e : snap.entrySet()) if (e.getKey().startsWith("param.")) params.put(e.getKey().substring(6), e.getValue().toTensor());
    rebuilt.loadStateDict(params);
    assertArrayEquals(model.call(x).toFloatArray(), rebuilt.call(x).toFloatArray());
  }

  @Test
  void theDeferredInitProbeIsTheOneAtTheStart(@TempDir Path dir) throws Exception {
    Dataset data = x1x2(120, 4);
    // Probes every 2nd epoch of 3: the deferred init probe runs at epoch 2, before that epoch's
    // probe; then a final probe at 3. Another schedule (every 5th) leaves it to the end of training.
    for (int every : new int[] {2, 5}) {
      Module a = mlp(3, 4), b = mlp(3, 4);
      ProbeConfig.Builder cfg = ProbeConfig.builder().probeSamples(60).batchSize(25).everyEpochs(every);
      FeatureProbes deferred = FeatureProbes.attach(a, data, cfg.build());
      FeatureProbes atStart = FeatureProbes.attach(b, data, cfg.deferInitProbe(false).build());
      Path da = Files.createDirectories(dir.resolve("deferred" + every)), db = Files.createDirectories(dir.resolve("start" + every));
      List<Integer> seen = new ArrayList<>();
      ManualTraining ta = new ManualTraining(a, data, da), tb = new ManualTraining(b, data, db);
      ta.run(new ansatz.nn.train.TrainListener() {
        @Override public void onTrainStart(ansatz.nn.train.TrainState s) { deferred.onTrainStart(s); seen.add(deferred.history().size()); }
        @Override public void onStepEnd(ansatz.nn.train.TrainState s) { deferred.onStepEnd(s); }
        @Override public void onEpochEnd(ansatz.nn.train.TrainState s) { deferred.onEpochEnd(s); seen.add(deferred.history().size()); }
        @Override public void onTrainEnd(ansatz.nn.train.TrainState s) { deferred.onTrainEnd(s); }
      }, 3, 4, 0.1);
      tb.run(atStart, 3, 4, 0.1);
      assertEquals(every == 2 ? List.of(0, 0, 2, 2) : List.of(0, 0, 0, 0), seen, "probes so far, deferred");
      List<String> tags = every == 2 ? List.of("epoch-0000", "epoch-0002", "epoch-0003") : List.of("epoch-0000", "epoch-0003");
      assertEquals(tags, deferred.history().stream().map(FeatureProbes.Probe::tag).toList());
      assertEquals(tags, atStart.history().stream().map(FeatureProbes.Probe::tag).toList());
      for (int i = 0; i < tags.size(); i++) {
        FeatureProbes.Probe p = deferred.history().get(i), q = atStart.history().get(i);
        assertEquals(q.step(), p.step());
        assertEquals(q.epoch(), p.epoch());
        assertEquals(q.measurements(), p.measurements(), tags.get(i)); // values and baselines, exactly
      }
      assertTrue(deferred.history().get(0).measurements().stream().anyMatch(m -> !Double.isNaN(m.value()) && m.value() != 0));
      // the same rows (step 0 and epoch 0 for the init probe) and the same snapshots
      assertEquals(tb.rows, ta.rows);
      for (String tag : tags) {
        Map<String, NdArray> x = Npz.read(da.resolve("snapshots/" + tag + ".npz")), y = Npz.read(db.resolve("snapshots/" + tag + ".npz"));
        assertEquals(y.keySet(), x.keySet(), tag);
        for (String k : y.keySet()) assertEquals(y.get(k), x.get(k), tag + " " + k); // type, shape and every value
      }
      // the weights were put back: both trained alike
      for (Map.Entry<String, Tensor> e : b.stateDict().entrySet()) {
        assertArrayEquals(e.getValue().toFloatArray(), a.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
      }
    }
    assertEquals("at the start", ProbeConfig.builder().deferInitProbe(false).build().describe().get("init_probe"));
  }

  @Test
  void probingDoesNotChangeTraining() {
    Dataset data = x1x2(80, 4);
    Module a = mlp(9, 4), b = mlp(9, 4);
    new ManualTraining(a, data, null).run(FeatureProbes.attach(a, ProbeConfig.builder().probeSamples(50).build()), 2, 4, 0.1);
    new ManualTraining(b, data, null).run(new ansatz.nn.train.TrainListener() {}, 2, 4, 0.1);
    for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
      assertArrayEquals(b.stateDict().get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), e.getKey());
    }
    assertTrue(a.isTraining());
  }

  @Test
  void badInputIsReportedBeforeTraining() {
    Dataset data = x1x2(50, 3);
    Module model = mlp(1, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureProbes.attach(model, ProbeConfig.builder().layers("0", "7").build()));
    assertTrue(e.getMessage().contains("no layer named '7'") && e.getMessage().contains("'0' (Linear), '2' (Linear), '4' (Linear)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureProbes.attach(model, ProbeConfig.builder().layers("1").build()));
    assertTrue(e.getMessage().contains("'1' is a ReLU"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureProbes.attach(model, data, ProbeConfig.builder().probeSamples(51).build()));
    assertTrue(e.getMessage().contains("(51 samples) is larger than the training data (50 samples"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> FeatureProbes.attach(model, ProbeConfig.builder().layers("2").quantities(Quantity.PATCH_AGOP).build()));
    assertTrue(e.getMessage().contains("patch_agop is a Conv2d probe but layer '2' is a Linear"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FeatureProbes.attach(model, ProbeConfig.builder().quantities(Quantity.PATCH_AGOP).build()));
    assertTrue(e.getMessage().contains("no Conv2d layer"), e.getMessage());
    Dataset noTruth = Dataset.regression("plain", data.inputs(), data.targets());
    e = assertThrows(IllegalArgumentException.class,
        () -> FeatureProbes.attach(model, noTruth, ProbeConfig.builder().quantities(Quantity.AGOP_ALIGNMENT).build()));
    assertTrue(e.getMessage().contains("agop_alignment needs a reference AGOP"), e.getMessage());
    // Without the data at attach time, the same check runs in onTrainStart, before the first step.
    FeatureProbes late = FeatureProbes.attach(model, ProbeConfig.builder().probeSamples(51).build());
    ManualTraining t = new ManualTraining(model, data, null);
    assertThrows(IllegalArgumentException.class, () -> t.run(late, 1, 1, 0.1));
    assertEquals(0, t.step);
    FeatureProbes other = FeatureProbes.attach(mlp(2, 3), ProbeConfig.defaults());
    assertThrows(IllegalStateException.class, () -> new ManualTraining(model, data, null).run(other, 1, 1, 0.1));
  }

  static String alphaText(double a) {
    return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
  }

  static List<Map<String, Object>> readJsonl(Path p) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(p)) if (!line.isBlank()) out.add(MiniJson.object(line));
    return out;
  }
}
