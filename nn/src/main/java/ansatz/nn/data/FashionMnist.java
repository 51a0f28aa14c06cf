package ansatz.nn.data;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads Fashion-MNIST (or any data set in the MNIST IDX layout with the standard file names) into a
 * train/test {@link Split}: pixels scaled to [0, 1] as float32, one-hot targets, integer labels, 10 classes.
 *
 * <p>Files looked for in the directory, each as {@code NAME.gz} or plain {@code NAME}:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}. The Debian package {@code dataset-fashion-mnist} installs them into
 * {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist/");
  /** Number of classes. */
  public static final int NUM_CLASSES = 10;
  /** Class names, index = label. */
  public static final String[] CLASS_NAMES = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  private static final String INSTALL_HINT = "install it with `apt-get install dataset-fashion-mnist` (files go to "
      + DEFAULT_DIR + ") or pass the directory that holds them";

  private FashionMnist() {}

  /**
   * Loading options.
   *
   * @param trainLimit read at most this many training samples (negative = all)
   * @param testLimit read at most this many test samples (negative = all)
   * @param images true for {@code n x 1 x H x W} inputs, false for flattened {@code n x (H*W)}
   * @param dtype element type of inputs and targets
   */
  public record Options(int trainLimit, int testLimit, boolean images, DType dtype) {
    /** Rejects a null dtype. */
    public Options {
      if (dtype == null) throw new IllegalArgumentException("FashionMnist.Options: dtype must not be null");
    }

    /** All samples, flattened to {@code n x 784}, float32. */
    public static Options defaults() {
      return new Options(-1, -1, false, DType.FLOAT32);
    }

    /** {@return these options reading at most {@code train} / {@code test} samples} */
    public Options withLimits(int train, int test) {
      return new Options(train, test, images, dtype);
    }

    /** {@return these options with {@code n x 1 x H x W} image inputs} */
    public Options asImages() {
      return new Options(trainLimit, testLimit, true, dtype);
    }

    /** {@return these options with flattened {@code n x (H*W)} inputs} */
    public Options flattened() {
      return new Options(trainLimit, testLimit, false, dtype);
    }

    /** {@return these options with another element type} */
    public Options withDType(DType type) {
      return new Options(trainLimit, testLimit, images, type);
    }
  }

  /** Loads everything from {@link #DEFAULT_DIR}, flattened, float32. */
  public static Split load() {
    return load(DEFAULT_DIR, Options.defaults());
  }

  /** Loads everything from {@code dir}, flattened, float32. */
  public static Split load(Path dir) {
    return load(dir, Options.defaults());
  }

  /** Loads from {@code dir} with the given options. */
  public static Split load(Path dir, Options options) {
    if (!Files.isDirectory(dir)) {
      throw new DataException("Fashion-MNIST directory " + dir + " does not exist; " + INSTALL_HINT);
    }
    Dataset train = loadPart(dir, "train", "fashion-mnist-train", options.trainLimit(), options);
    Dataset test = loadPart(dir, "t10k", "fashion-mnist-test", options.testLimit(), options);
    return new Split(train, test);
  }

  /** {@return {@code dir/base.gz} if present, else {@code dir/base}; a clear error when neither exists} */
  static Path find(Path dir, String base) {
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) return gz;
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) return plain;
    throw new DataException("Fashion-MNIST file " + base + "(.gz) not found in " + dir + "; " + INSTALL_HINT);
  }

  private static Dataset loadPart(Path dir, String prefix, String name, int limit, Options options) {
    Path imageFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelFile = find(dir, prefix + "-labels-idx1-ubyte");
    Idx.Array images = Idx.readImages(imageFile, limit);
    Idx.Array labels = Idx.readLabels(labelFile, limit);
    if (images.totalItems() != labels.totalItems()) {
      throw new DataException("Fashion-MNIST: " + imageFile + " holds " + images.totalItems() + " images but " + labelFile
          + " holds " + labels.totalItems() + " labels");
    }
    int[] y = Idx.labelsAsInts(labels);
    for (int i = 0; i < y.length; i++) {
      if (y[i] >= NUM_CLASSES) {
        throw new DataException("Fashion-MNIST: " + labelFile + ": label " + y[i] + " of item " + i + " is outside [0, "
            + NUM_CLASSES + ")");
      }
    }
    int n = images.count(), h = images.dims()[1], w = images.dims()[2];
    Tensor x = toUnitInterval(images.data(), options.dtype());
    x = options.images() ? x.reshape(n, 1, h, w) : x.reshape(n, h * w);
    Tensor targets = Tensor.oneHot(y, NUM_CLASSES, options.dtype());
    return new Dataset(name, x, targets, y, NUM_CLASSES, null, null);
  }

  /** Unsigned bytes to values in [0, 1] (v / 255), one flat tensor. */
  static Tensor toUnitInterval(byte[] data, DType dtype) {
    if (dtype == DType.FLOAT32) {
      float[] out = new float[data.length];
      for (int i = 0; i < data.length; i++) out[i] = (data[i] & 0xff) / 255f;
      return Tensor.wrap(out, data.length);
    }
    double[] out = new double[data.length];
    for (int i = 0; i < data.length; i++) out[i] = (data[i] & 0xff) / 255.0;
    return Tensor.wrap(out, data.length);
  }
}
