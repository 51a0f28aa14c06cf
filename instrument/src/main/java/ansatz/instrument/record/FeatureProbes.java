package ansatz.instrument.record;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.autograd.io.AtomicFiles;
import ansatz.instrument.AgopAlignment;
import ansatz.instrument.FeatureMatrix;
import ansatz.instrument.Measurement;
import ansatz.instrument.Nfa;
import ansatz.instrument.agop.ChainRuleAgop;
import ansatz.instrument.agop.LayerAgop;
import ansatz.instrument.agop.PredictorAgop;
import ansatz.instrument.agop.ProbedLayer;
import ansatz.nn.Module;
import ansatz.nn.data.Dataset;
import ansatz.nn.io.Json;
import ansatz.nn.train.TrainListener;
import ansatz.nn.train.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe set: the feature-learning measurements of DEFINITIONS.md sections 1-3 and 5 taken
 * during training, as a {@link TrainListener}. One call attaches it to a model; the trainer takes
 * it as a listener:
 *
 * <pre>{@code
 * FeatureProbes probes = FeatureProbes.attach(model, train, ProbeConfig.defaults());
 * Trainer.builder().model(model).loss(loss).optimizer(opt).train(loader).epochs(10).outDir(dir)
 *     .listener(probes).config("probes", probes.summaryFields())   // the fields also land in summary.json
 *     .build().run();
 * probes.latest();   // the last probe's measurements, also in dir/metrics.jsonl
 * }</pre>
 *
 * <p>What happens: {@link #attach} checks the layer names and quantities and remembers every
 * parameter's initial value (W0 of the init-removed NFM and C-NFA). At the start of training the
 * probe subset is drawn from the training data (seeded; an error if it is larger than the data),
 * {@code model.json} is written and the weights are copied for the probe at initialization: its
 * values are the baselines written next to every later value. By default it is computed just
 * before the first scheduled probe, with those weights loaded into the model for it (the same
 * numbers, but with the JIT warm: {@link ProbeConfig.Builder#deferInitProbe}). Then a probe runs
 * after every N-th epoch (or step), and at the end if the final state was not probed. A probe
 * computes all layer AGOPs and K's from
 * one set of backward passes ({@link ChainRuleAgop}), writes one {@code metrics.jsonl} row per
 * layer, quantity and variant ({@code step, epoch, probe, layer, quantity, variant, value,
 * baseline, corr, alpha, init_removed, grad_centered}) through {@link TrainState#log}, writes
 * {@code snapshots/<tag>.npz} (at every probe, or with {@link ProbeConfig.Builder#snapshotEvery} at
 * init, every k-th probe and the last one; on a background thread, awaited at the end of training
 * and by {@link #awaitSnapshots}) and refreshes {@code probes.json} (the summary fields, also
 * available live from {@link #summaryFields()}).
 *
 * <p>A resumed run ({@code Trainer.Builder.resumeFrom}) keeps its baselines: the initial weights
 * are read back from the run's first snapshot and measured once more.
 *
 * <p>The probes run in evaluation mode with gradients recorded but never accumulated into the
 * parameters, and draw no random numbers from the training's generators, so a probed run trains
 * exactly as an unprobed one.
 */
public final class FeatureProbes implements TrainListener {
  /** the summary file written in the run directory */
  public static final String SUMMARY_FILE = "probes.json";
  /** the model description written in the run directory */
  public static final String MODEL_FILE = "model.json";

  private final Module model;
  private final ProbeConfig config;
  private final List<ProbedLayer> layers;
  private final Map<String, Tensor> initWeights = new LinkedHashMap<>();
  private Map<String, Tensor> initParams;
  private final Map<String, Object> summary = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Probe> history = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private Map<String, Double> baselines;
  private int[] probeIndices;
  private Tensor probeInputs;
  private Tensor probeTargets;
  private Tensor reference;
  private long lastProbedStep = -1;
  private int lastProbedEpoch = -1;
  private double probeSeconds;
  private final double[] partSeconds = new double[3]; // AGOP/K pass, correlations, logging + snapshot
  private final List<double[]> partSecondsByProbe = new ArrayList<>();
  private final List<String> snapshotTags = new ArrayList<>();
  private Snapshot pendingSnapshot; // the last probe's snapshot when it was not written
  private Map<String, Tensor> deferredInit; // the weights at the start while their probe is deferred
  private final SnapshotWriter writer = new SnapshotWriter();
  private String lastProbeTag;
  /** this probe's dense NFMs {W^T W, (W - W0)^T (W - W0)} by layer, as the correlations formed them */
  private final Map<String, Tensor[]> probeNfms = new LinkedHashMap<>();

  /** One probe's results. */
  public record Probe(String tag, long step, int epoch, List<Measurement> measurements, double seconds) {
    /** {@return the value of a quantity/variant on a layer, NaN if absent} */
    public double value(String layer, String quantity, String variantLabel) {
      for (Measurement m : measurements) {
        if (m.layer().equals(layer) && m.quantity().equals(quantity) && m.variantLabel().equals(variantLabel)) return m.value();
      }
      return Double.NaN;
    }
  }

  private FeatureProbes(Module model, ProbeConfig config) {
    this.model = model;
    this.config = config;
    this.layers = ProbedLayer.select(model, config.layers());
    checkQuantities();
    for (ProbedLayer l : layers) initWeights.put(l.name(), l.weightMatrix());
    this.initParams = model.stateDict();
    summary.put("config", config.describe());
    List<Map<String, Object>> ls = new ArrayList<>();
    for (ProbedLayer l : layers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", l.name());
      m.put("kind", l.kind().label());
      m.put("weight_matrix", new int[] {l.rows(), l.cols()});
      m.put("weight_scale", l.weightScale());
      ls.add(m);
    }
    summary.put("layers", ls);
  }

  /**
   * Attaches a probe set to {@code model}: checks the configuration against the model now (unknown
   * layer names, conv-only quantities on dense layers) and remembers the initial weights.
   *
   * @throws IllegalArgumentException naming the problem and the available layers
   */
  public static FeatureProbes attach(Module model, ProbeConfig config) {
    if (model == null) throw new IllegalArgumentException("FeatureProbes.attach: model is null");
    return new FeatureProbes(model, config == null ? ProbeConfig.defaults() : config);
  }

  /** {@link #attach(Module, ProbeConfig)}, also checking the probe subset against {@code train} now. */
  public static FeatureProbes attach(Module model, Dataset train, ProbeConfig config) {
    FeatureProbes p = attach(model, config);
    p.checkData(train);
    return p;
  }

  private void checkQuantities() {
    boolean anyConv = layers.stream().anyMatch(l -> l.kind() == ProbedLayer.Kind.CONV);
    if (config.quantitiesGiven() && config.has(Quantity.PATCH_AGOP)) {
      if (!config.layers().isEmpty()) {
        for (ProbedLayer l : layers) {
          if (l.kind() != ProbedLayer.Kind.CONV) {
            throw new IllegalArgumentException("probe: patch_agop is a Conv2d probe but layer '" + l.name() + "' is a "
                + l.module().getClass().getSimpleName() + "; use agop for dense layers");
          }
        }
      } else if (!anyConv) {
        throw new IllegalArgumentException("probe: patch_agop was requested but the model has no Conv2d layer");
      }
    }
    if (config.quantitiesGiven() && config.has(Quantity.AGOP) && !config.layers().isEmpty()) {
      for (ProbedLayer l : layers) {
        if (l.kind() == ProbedLayer.Kind.CONV) {
          throw new IllegalArgumentException("probe: agop is the dense-layer AGOP but layer '" + l.name() + "' is a Conv2d; use patch_agop");
        }
      }
    }
  }

  private void checkData(Dataset train) {
    if (train == null) throw new IllegalArgumentException("probe: the trainer has no training data");
    int n = train.size();
    if (config.probeSamplesGiven() && config.probeSamples() > n) {
      throw new IllegalArgumentException("probe: the probe subset (" + config.probeSamples() + " samples) is larger than the training data ("
          + n + " samples of '" + train.name() + "')");
    }
    if (config.has(Quantity.AGOP_ALIGNMENT) && config.quantitiesGiven() && config.referenceAgop() == null && train.trueAgop().isEmpty()) {
      throw new IllegalArgumentException("probe: agop_alignment needs a reference AGOP, but '" + train.name()
          + "' has no true AGOP; give one with ProbeConfig.Builder.referenceAgop");
    }
    Tensor ref = config.referenceAgop() != null ? config.referenceAgop() : train.trueAgop().orElse(null);
    if (ref != null && config.has(Quantity.AGOP_ALIGNMENT) && ref.size(0) != train.featureCount()) {
      throw new IllegalArgumentException("probe: the reference AGOP is " + ref.size(0) + " x " + ref.size(1) + " but the inputs have "
          + train.featureCount() + " features");
    }
  }

  // ===================================================================== listener

  @Override
  public void onTrainStart(TrainState state) {
    if (state.model() != model) throw new IllegalStateException("probe: these probes were attached to a different model than the trainer's");
    Dataset train = state.trainData();
    checkData(train);
    int n = train.size();
    int m = Math.min(config.probeSamples(), n);
    int[] perm = new Rng(config.probeSeed()).permutation(n);
    probeIndices = Arrays.copyOf(perm, m);
    Arrays.sort(probeIndices);
    probeInputs = train.inputs().rows(probeIndices).detach();
    probeTargets = train.targets().rows(probeIndices).detach();
    if (config.has(Quantity.AGOP_ALIGNMENT)) reference = config.referenceAgop() != null ? config.referenceAgop() : train.trueAgop().orElse(null);
    summary.put("probe_samples", m);
    summary.put("train_data", train.name() + " (n=" + n + ")");
    state.outDir().ifPresent(dir -> io(() -> AtomicFiles.writeString(dir.resolve(MODEL_FILE), Json.pretty(ModelDescription.of(model)))));
    if (state.step() > 0) {
      resumed(state);
      return;
    }
    if (config.deferInitProbe()) deferredInit = model.stateDict();
    else probe(state, 0, 0, Snapshot.tag(config.unit(), 0), false);
  }

  /**
   * Takes the deferred probe of the weights at the start, if it is still due: loads them into the
   * model for it and restores the current weights (bit for bit) afterwards.
   */
  private void runDeferredInit(TrainState state) {
    if (deferredInit == null) return;
    Map<String, Tensor> start = deferredInit;
    deferredInit = null;
    withWeights(start, () -> probe(state, 0, 0, Snapshot.tag(config.unit(), 0), false));
  }

  /** Runs {@code body} with {@code weights} loaded into the model, then puts the current weights back (bit for bit). */
  private void withWeights(Map<String, Tensor> weights, Runnable body) {
    Map<String, Tensor> current = model.stateDict();
    model.loadStateDict(weights);
    try {
      body.run();
    } finally {
      model.loadStateDict(current);
    }
  }

  /**
   * A resumed run starts mid-way: the initial weights come from the run's earlier snapshots when
   * there are any (else from the model as it was when attached), and the baselines are measured by
   * loading them into the model for one probe and restoring the current weights afterwards.
   */
  private void resumed(TrainState state) {
    state.outDir().ifPresent(dir -> io(() -> {
      Path snaps = dir.resolve(Snapshot.DIR);
      if (!java.nio.file.Files.isDirectory(snaps)) return;
      try (var files = java.nio.file.Files.list(snaps)) {
        Path first = files.filter(f -> f.getFileName().toString().endsWith(".npz")).sorted().findFirst().orElse(null);
        if (first == null) return;
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (Map.Entry<String, ansatz.autograd.io.NdArray> e : ansatz.autograd.io.Npz.read(first).entrySet()) {
          if (e.getKey().startsWith("init.")) init.put(e.getKey().substring(5), e.getValue().toTensor());
        }
        if (!init.keySet().equals(initParams.keySet())) {
          throw new IOException(first + ": its init.* arrays do not match the model's parameters " + initParams.keySet());
        }
        initParams = init;
        summary.put("init_weights_from", first.toString());
      }
    }));
    withWeights(initParams, () -> {
      try (Grad.Scope off = Grad.disabled()) {
        for (ProbedLayer l : layers) initWeights.put(l.name(), l.weightMatrix());
        Map<String, LayerAgop> agops = needsAgop() ? engine().compute(probeInputs) : Map.of();
        baselines = new LinkedHashMap<>();
        for (Measurement m : measure(agops)) baselines.put(m.key(), m.value());
      }
    });
    summary.put("resumed_at_step", state.step());
    probe(state, state.step(), state.epoch(), Snapshot.tag(config.unit(), config.unit() == ProbeConfig.Unit.EPOCHS ? state.epoch() : state.step()), false);
  }

  @Override
  public void onStepEnd(TrainState state) {
    if (config.unit() == ProbeConfig.Unit.STEPS && state.step() % config.every() == 0) scheduled(state, Snapshot.tag(config.unit(), state.step()), false);
  }

  @Override
  public void onEpochEnd(TrainState state) {
    if (config.unit() == ProbeConfig.Unit.EPOCHS && state.epoch() % config.every() == 0) scheduled(state, Snapshot.tag(config.unit(), state.epoch()), false);
  }

  /** A probe of the current state, after the deferred init probe if that is still due. */
  private void scheduled(TrainState state, String tag, boolean last) {
    runDeferredInit(state);
    probe(state, state.step(), state.epoch(), tag, last);
  }

  @Override
  public void onTrainEnd(TrainState state) {
    if (probeInputs == null) return;
    runDeferredInit(state);
    if (state.step() == lastProbedStep) {
      // The last probe was the final state: its snapshot, if skipped, is written now.
      if (pendingSnapshot != null) {
        Snapshot pending = pendingSnapshot;
        state.outDir().ifPresent(dir -> writer.submit(pending, dir, lastProbeTag, config.compressSnapshots()));
        snapshotTags.add(lastProbeTag);
        pendingSnapshot = null;
        summary.put("snapshot_tags", List.copyOf(snapshotTags));
        state.outDir().ifPresent(dir -> io(() -> AtomicFiles.writeString(dir.resolve(SUMMARY_FILE), Json.pretty(summaryFields()))));
      }
      writer.await();
      return;
    }
    boolean epochFree = config.unit() == ProbeConfig.Unit.EPOCHS && state.epoch() != lastProbedEpoch;
    probe(state, state.step(), state.epoch(),
        epochFree ? Snapshot.tag(ProbeConfig.Unit.EPOCHS, state.epoch()) : Snapshot.tag(ProbeConfig.Unit.STEPS, state.step()), true);
    writer.await();
  }

  /**
   * Waits until every snapshot file of the probes so far is on disk (they are written on a
   * background thread; the end of training waits for them too).
   *
   * @throws java.io.UncheckedIOException if a write failed, naming the file
   */
  public void awaitSnapshots() {
    writer.await();
  }

  // ===================================================================== one probe

  /**
   * Probes the model's current weights.
   *
   * @param step the training step the weights belong to (and {@code epoch} its epoch): the
   *     state's own, except for the deferred init probe
   * @param last whether this is the run's final probe (it always gets a snapshot)
   */
  private void probe(TrainState state, long step, int epoch, String tag, boolean last) {
    long t0 = System.nanoTime();
    Map<String, LayerAgop> agops = needsAgop() ? engine().compute(probeInputs) : Map.of();
    long t1 = System.nanoTime();
    List<Measurement> ms = measure(agops);
    long t2 = System.nanoTime();
    boolean atInit = baselines == null;
    if (atInit) {
      baselines = new LinkedHashMap<>();
      for (Measurement m : ms) baselines.put(m.key(), m.value());
    }
    List<Measurement> withBaselines = new ArrayList<>();
    for (Measurement m : ms) withBaselines.add(m.withBaseline(baselines.getOrDefault(m.key(), Double.NaN)));
    for (Measurement m : withBaselines) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", step);
      row.put("epoch", epoch);
      row.put("probe", tag);
      row.putAll(m.row());
      state.log(row);
    }
    // Probe k (0 = init) is snapshotted when k is a multiple of snapshotEvery, and the final one always.
    // A skipped snapshot is built (a copy) and kept until the next probe, in case it was the final state.
    boolean writeSnapshot = config.snapshots() && state.outDir().isPresent() && (last || history.size() % config.snapshotEvery() == 0);
    if (writeSnapshot) {
      // Written in the background: the snapshot holds copies, so the next steps cannot change it.
      writer.submit(snapshot(agops), state.outDir().get(), tag, config.compressSnapshots());
      snapshotTags.add(tag);
      summary.put("snapshot_tags", List.copyOf(snapshotTags));
    }
    pendingSnapshot = config.snapshots() && state.outDir().isPresent() && !writeSnapshot ? snapshot(agops) : null;
    lastProbeTag = tag;
    long t3 = System.nanoTime();
    partSeconds[0] += (t1 - t0) / 1e9;
    partSeconds[1] += (t2 - t1) / 1e9;
    partSeconds[2] += (t3 - t2) / 1e9;
    partSecondsByProbe.add(new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9});
    double seconds = (t3 - t0) / 1e9;
    probeSeconds += seconds;
    lastProbedStep = step;
    lastProbedEpoch = epoch;
    Probe p = new Probe(tag, step, epoch, List.copyOf(withBaselines), seconds);
    history.add(p);
    updateSummary(p);
    state.outDir().ifPresent(dir -> io(() -> AtomicFiles.writeString(dir.resolve(SUMMARY_FILE), Json.pretty(summaryFields()))));
  }

  private boolean needsAgop() {
    for (Quantity q : config.quantities()) if (q != Quantity.NFM && q != Quantity.WEIGHT_CHANGE && q != Quantity.AGOP_ALIGNMENT) return true;
    return config.has(Quantity.AGOP_ALIGNMENT) && reference != null;
  }

  private ChainRuleAgop engine() {
    return new ChainRuleAgop(model, layers).batchSize(config.batchSize()).gradCentered(config.gradCentered())
        .gramSamples(config.has(Quantity.PTK_GRAM) ? Math.min(config.gramSamples(), probeInputs.size(0)) : 0);
  }

  private List<Measurement> measure(Map<String, LayerAgop> agops) {
    probeNfms.clear();
    List<Measurement> out = new ArrayList<>();
    boolean correlations = config.has(Quantity.NFA) || config.has(Quantity.UC_NFA) || config.has(Quantity.C_NFA);
    if (correlations) {
      // Every layer's roots (eigendecompositions, mostly one core each) and products (GEMMs) are
      // independent pieces: all of them run side by side, one core each, the costliest first. One
      // 1024 root takes longer than everything else on the other core, which the products
      // would otherwise wait for (see LayerParallel).
      List<Nfa.Stages> stages = new ArrayList<>();
      for (ProbedLayer l : layers) stages.add(Nfa.stages(agops.get(l.name()), initWeights.get(l.name()), Nfa.Route.AUTO));
      List<LayerParallel.Task> tasks = new ArrayList<>();
      for (Nfa.Stages st : stages) {
        for (int c = 0; c < st.rootCount(); c++) {
          int centering = c;
          tasks.add(new LayerParallel.Task(st.rootWork(), () -> st.root(centering)));
        }
        for (Nfa.Part part : st.productParts()) tasks.add(new LayerParallel.Task(part.work(), part.body()));
      }
      LayerParallel.runLongestFirst(tasks);
      // Then the correlations themselves, read off each layer's matrices: passes over a million
      // entries each, single-threaded per layer, so the layers go side by side as well.
      Nfa.Result[] results = new Nfa.Result[layers.size()];
      List<LayerParallel.Task> reads = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        int layer = i;
        reads.add(new LayerParallel.Task(stages.get(i).resultWork(), () -> results[layer] = stages.get(layer).result()));
      }
      LayerParallel.runLongestFirst(reads);
      for (int i = 0; i < layers.size(); i++) {
        Nfa.Result r = results[i];
        for (Measurement m : r.measurements()) if (wanted(m.quantity())) out.add(m);
        // The snapshot stores the same NFMs: keep them for it (this probe only).
        if (r.nfm() != null) probeNfms.put(layers.get(i).name(), new Tensor[] {r.nfm(), r.nfmInitRemoved()});
      }
    } else if (config.has(Quantity.WEIGHT_CHANGE)) {
      for (ProbedLayer l : layers) {
        out.add(new Measurement(l.name(), Nfa.WEIGHT_CHANGE, null, FeatureMatrix.relativeChange(l.weightMatrix(), initWeights.get(l.name())),
            Double.NaN));
      }
    }
    if (config.has(Quantity.AGOP_ALIGNMENT) && reference != null) {
      LayerAgop first = agops.values().stream().filter(LayerAgop::inputIsModelInput).findFirst().orElse(null);
      Tensor g = first != null && first.layer().kind() == ProbedLayer.Kind.DENSE ? first.agop()
          : PredictorAgop.ofModel(model, probeInputs, config.batchSize(), false);
      for (Measurement m : AgopAlignment.measure("model", g, reference, false)) out.add(m);
    }
    return out;
  }

  private boolean wanted(String quantity) {
    return switch (quantity) {
      case Nfa.NFA -> config.has(Quantity.NFA);
      case Nfa.UC_NFA -> config.has(Quantity.UC_NFA);
      case Nfa.C_NFA -> config.has(Quantity.C_NFA);
      case Nfa.WEIGHT_CHANGE -> config.has(Quantity.WEIGHT_CHANGE);
      default -> false;
    };
  }

  private Snapshot snapshot(Map<String, LayerAgop> agops) {
    Snapshot s = new Snapshot();
    try (Grad.Scope off = Grad.disabled()) {
      for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) s.put("param." + e.getKey(), e.getValue());
      for (Map.Entry<String, Tensor> e : initParams.entrySet()) s.put("init." + e.getKey(), e.getValue());
      s.put("probe.inputs", probeInputs);
      s.put("probe.targets", probeTargets);
      s.put("probe.indices", Arrays.stream(probeIndices).asLongStream().toArray());
      for (ProbedLayer l : layers) addLayer(s, l, agops.get(l.name()));
    }
    return s;
  }

  private void addLayer(Snapshot s, ProbedLayer l, LayerAgop a) {
    String key = l.name().isEmpty() ? "model" : l.name();
    boolean conv = l.kind() == ProbedLayer.Kind.CONV;
    boolean inputSideFits = l.cols() <= config.maxMatrixSize();
    if (config.has(Quantity.NFM)) {
      if (inputSideFits) {
        Tensor w = a != null ? a.weight() : l.weightMatrix();
        Tensor[] formed = probeNfms.get(l.name());
        if (formed != null) {
          double f = config.divideNfmByRows() ? 1.0 / w.size(0) : 1.0;
          s.putMatrix(key + ".nfm", f == 1 ? formed[0] : formed[0].mul(f).detach(), false);
          s.putMatrix(key + ".nfm_init_removed", f == 1 ? formed[1] : formed[1].mul(f).detach(), false);
        } else {
          s.putMatrix(key + ".nfm", FeatureMatrix.nfm(w, config.divideNfmByRows()), false);
          s.putMatrix(key + ".nfm_init_removed", FeatureMatrix.initRemovedNfm(w, initWeights.get(l.name()), config.divideNfmByRows()), false);
        }
      } else {
        skip(key + ".nfm");
      }
    }
    if (a == null) return;
    boolean agopWanted = conv ? config.has(Quantity.PATCH_AGOP) : config.has(Quantity.AGOP);
    String agopKey = key + (conv ? ".patch_agop" : ".agop");
    if (agopWanted) {
      if (inputSideFits) {
        s.putMatrix(agopKey, a.agop(), false);
        if (a.ptfKCentered() != null) s.putMatrix(agopKey + "_grad_centered", a.agopCentered(), false);
      } else {
        skip(agopKey);
      }
    }
    if (config.has(Quantity.PTF_K)) {
      if (l.rows() <= config.maxMatrixSize()) {
        s.putMatrix(key + ".ptf_k", a.ptfK(), false);
        if (a.ptfKCentered() != null) s.putMatrix(key + ".ptf_k_grad_centered", a.ptfKCentered(), false);
      } else {
        skip(key + ".ptf_k");
      }
    }
    if (config.has(Quantity.PTK_GRAM) && a.ptkGram() != null) s.putMatrix(key + ".ptk_gram", a.ptkGram(), false);
  }

  private void skip(String key) {
    if (!skipped.contains(key)) skipped.add(key);
  }

  private void updateSummary(Probe p) {
    summary.put("probes", history.size());
    summary.put("probe_seconds_total", probeSeconds);
    summary.put("probe_seconds", history.stream().mapToDouble(Probe::seconds).toArray());
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("agop_and_k", partSeconds[0]);
    parts.put("correlations", partSeconds[1]);
    parts.put("rows_and_snapshots", partSeconds[2]);
    summary.put("probe_seconds_by_part", parts);
    summary.put("probe_seconds_by_part_per_probe (agop_and_k, correlations, rows_and_snapshots)", List.copyOf(partSecondsByProbe));
    summary.put("probe_tags", history.stream().map(Probe::tag).toList());
    if (!skipped.isEmpty()) summary.put("snapshot_matrices_skipped (side > max_matrix_size)", List.copyOf(skipped));
    Map<String, Object> last = new LinkedHashMap<>();
    for (Measurement m : p.measurements()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> byLayer = (Map<String, Object>) last.computeIfAbsent(m.layer(), k -> new LinkedHashMap<String, Object>());
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("value", m.value());
      v.put("baseline", m.baseline());
      byLayer.put(m.quantity() + " " + m.variantLabel(), v);
    }
    summary.put("last_probe", p.tag());
    summary.put("last", last);
  }

  // ===================================================================== results

  /** {@return every probe so far, the initialization first} */
  public List<Probe> history() {
    return List.copyOf(history);
  }

  /** {@return the most recent probe} */
  public Probe latest() {
    if (history.isEmpty()) throw new IllegalStateException("probe: no probe has run yet (training has not started)");
    return history.get(history.size() - 1);
  }

  /**
   * {@return the probes' summary fields (configuration, layers, probe count and time, last values
   *     with baselines), live: the map follows later probes. Also written to {@code probes.json};
   *     put it into a run's summary with e.g. {@code Trainer.Builder.config("probes", probes.summaryFields())}.}
   */
  public Map<String, Object> summaryFields() {
    return summary;
  }

  /** {@return the probed layers} */
  public List<ProbedLayer> layers() {
    return List.copyOf(layers);
  }

  /** {@return the probe subset's inputs (null before training starts)} */
  public Tensor probeInputs() {
    return probeInputs;
  }

  /** {@return total seconds spent probing} */
  public double probeSeconds() {
    return probeSeconds;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void io(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new UncheckedIOException("probe: reading or writing the run's files failed: " + e.getMessage(), e);
    }
  }
}
