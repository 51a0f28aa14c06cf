package ansatz.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository this code was built from, and the PyTorch anchors beside it. */
final class RepoPaths {
  private RepoPaths() {}

  private static final Path ANCHOR = Path.of("shared", "anchors", "torch_bench.py");

  /**
   * @return {@code <repo>/../shared/anchors/torch_bench.py}; if that is absent, the same relative
   *     path under the nearest further ancestor that has it (a git worktree sits one level deeper);
   *     the primary location if none has it, so the message names where it was expected
   */
  static Path defaultTorchScript() {
    Path repo = repoRoot();
    Path primary = repo.toAbsolutePath().normalize().getParent();
    if (primary == null) return ANCHOR.toAbsolutePath();
    for (Path a = primary; a != null; a = a.getParent()) {
      if (Files.isRegularFile(a.resolve(ANCHOR))) return a.resolve(ANCHOR);
    }
    return primary.resolve(ANCHOR);
  }

  /** @return the repository root: the ancestor of this code's jar (or classes folder) with mvnw and bench/; else the working directory */
  static Path repoRoot() {
    try {
      Path code = Path.of(RepoPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path found = ancestorWithRepo(code);
      if (found != null) return found;
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (unusual class loader): fall back to the working directory
    }
    Path cwd = Path.of("").toAbsolutePath();
    Path found = ancestorWithRepo(cwd);
    return found != null ? found : cwd;
  }

  private static Path ancestorWithRepo(Path start) {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("bench"))) return p;
    }
    return null;
  }
}
