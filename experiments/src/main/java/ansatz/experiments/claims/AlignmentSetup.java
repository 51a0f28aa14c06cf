package ansatz.experiments.claims;

import picocli.CommandLine.Option;

/**
 * The options {@link Alignment} and {@link AlignmentRule} share (a picocli mixin): the same data,
 * network, SGD run and probes, so that the rule is compared with the very setup the alignment
 * experiment measures.
 */
final class AlignmentSetup {
  @Option(names = "--data", description = "auto (Fashion-MNIST when installed, else quadrant), fashion-mnist or quadrant (default ${DEFAULT-VALUE})")
  String data = "auto";

  @Option(names = "--n", description = "training samples (default ${DEFAULT-VALUE})")
  int n = 3000;

  @Option(names = "--n-test", description = "test samples (default ${DEFAULT-VALUE})")
  int nTest = 1000;

  @Option(names = "--d", description = "input dimension of the quadrant task (default ${DEFAULT-VALUE})")
  int d = 20;

  @Option(names = "--width", description = "hidden width (default ${DEFAULT-VALUE})")
  int width = 256;

  @Option(names = "--depth", description = "hidden layers (default ${DEFAULT-VALUE})")
  int depth = 5;

  @Option(names = "--epochs", description = "epochs (default ${DEFAULT-VALUE})")
  int epochs = 10;

  @Option(names = "--batch", description = "mini-batch size (default ${DEFAULT-VALUE})")
  int batch = 64;

  @Option(names = "--lr", description = "SGD learning rate (default ${DEFAULT-VALUE})")
  double lr = 0.5;

  @Option(names = "--standardize", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Fashion-MNIST: standardize the pixels with the training mean and std, as the paper's code "
          + "(dmbeaglehole/centered_NFA dataset.py) does (default ${DEFAULT-VALUE}; --no-standardize keeps them in [0, 1])")
  boolean standardize = true;

  @Option(names = "--probe-every", description = "probe every N epochs (default ${DEFAULT-VALUE})")
  int probeEvery = 2;

  @Option(names = "--probe-samples", description = "training samples the AGOP and K are averaged over (default ${DEFAULT-VALUE})")
  int probeSamples = 500;
}
