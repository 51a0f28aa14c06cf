package ansatz.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the documentation and its code in step (see {@link DocBlocks} for the markers):
 *
 * <ul>
 *   <li>every {@code java} block of README.md and docs/tutorial/*.md is marked, and equals its
 *       region of the source file, which the test suite compiles and runs;
 *   <li>every {@code output} block equals what its sample prints;
 *   <li>every {@code excerpt} block still appears in the file it quotes;
 *   <li>every relative link of those pages points at a file of the repository that exists;
 *   <li>docs/DEFINITIONS.md is still the shared reference it copies (where that is checked out).
 * </ul>
 *
 * After editing a sample, {@code -Ddocs.update=true} rewrites the code blocks of the pages from
 * the sources (outputs are never rewritten: read them and update them by hand).
 */
class DocSamplesTest {
  private static final Path ROOT = DocBlocks.repoRoot();
  private static final String TEST_SOURCES = "experiments/src/test/java/";

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs/tutorial"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void everyJavaBlockIsMarked() throws IOException {
    List<String> unmarked = new ArrayList<>();
    int marked = 0;
    for (Path p : pages()) marked += DocBlocks.blocks(p, unmarked).size();
    assertTrue(unmarked.isEmpty(), "java blocks without a '<!-- code: FILE#REGION -->' line above them: " + unmarked);
    assertTrue(marked >= 20, "expected the tutorial's blocks to be found, got " + marked);
  }

  @TestFactory
  Stream<DynamicTest> codeBlocksEqualTheirRegions() throws IOException {
    boolean update = Boolean.getBoolean("docs.update");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path page : pages()) {
      for (DocBlocks.Block b : DocBlocks.blocks(page, null)) {
        if (b.kind() != DocBlocks.Kind.CODE) continue;
        tests.add(DynamicTest.dynamicTest(b.where(ROOT) + " = " + b.source() + "#" + b.region(), () -> {
          String region = DocBlocks.region(ROOT.resolve(b.source()), b.region());
          if (update && !region.equals(b.content())) rewrite(b, region);
          else if (!region.equals(b.content())) {
            fail(b.where(ROOT) + " differs from region '" + b.region() + "' of " + b.source()
                + " (edit both, or run with -Ddocs.update=true to copy the source into the page); "
                + DocBlocks.firstDifference(b.content(), region));
          }
        }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> excerptsAppearInTheirFiles() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path page : pages()) {
      for (DocBlocks.Block b : DocBlocks.blocks(page, null)) {
        if (b.kind() != DocBlocks.Kind.EXCERPT) continue;
        tests.add(DynamicTest.dynamicTest(b.where(ROOT) + " is an excerpt of " + b.source(), () -> assertTrue(
            DocBlocks.containsExcerpt(ROOT.resolve(b.source()), b.content()),
            b.where(ROOT) + ": these lines no longer appear in " + b.source() + "; quote the current code")));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> outputBlocksEqualWhatTheSamplesPrint() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path page : pages()) {
      for (DocBlocks.Block b : DocBlocks.blocks(page, null)) {
        if (b.kind() != DocBlocks.Kind.OUTPUT) continue;
        tests.add(DynamicTest.dynamicTest(b.where(ROOT) + " = output of " + b.source() + "#" + b.region(), () -> {
          String printed = Samples.run(sampleClass(b), b.region()).printed();
          String problem = DocBlocks.compareOutput(b.content(), printed, b.tolerance());
          if (problem != null) fail(b.where(ROOT) + ": the documented output of " + b.region() + "() is stale: " + problem + "\nprinted:\n" + printed);
        }));
      }
    }
    return tests.stream();
  }

  private static Class<?> sampleClass(DocBlocks.Block b) throws ClassNotFoundException {
    if (!b.source().startsWith(TEST_SOURCES) || !b.source().endsWith(".java")) {
      throw new IllegalStateException(b.where(ROOT) + ": output samples must live under " + TEST_SOURCES + ", got " + b.source());
    }
    String name = b.source().substring(TEST_SOURCES.length(), b.source().length() - ".java".length()).replace('/', '.');
    return Class.forName(name);
  }

  @Test
  void everyTutorialRegionIsShownSomewhere() throws IOException {
    Set<String> shown = new HashSet<>();
    for (Path page : pages()) {
      for (DocBlocks.Block b : DocBlocks.blocks(page, null)) if (b.region() != null) shown.add(b.source() + "#" + b.region());
    }
    List<String> orphans = new ArrayList<>();
    try (Stream<Path> s = Files.walk(ROOT.resolve(TEST_SOURCES + "ansatz/docs"))) {
      for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String rel = ROOT.relativize(f).toString().replace('\\', '/');
        for (String r : DocBlocks.regionNames(f)) {
          DocBlocks.region(f, r); // well formed
          if (!shown.contains(rel + "#" + r)) orphans.add(rel + "#" + r);
        }
      }
    }
    assertTrue(orphans.isEmpty(), "regions no page shows (renamed? remove the markers or show them): " + orphans);
  }

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void relativeLinksPointAtFiles() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) continue;
        String path = target.replaceAll("#.*$", "");
        if (path.contains("/target/") || path.startsWith("target/")) continue; // build output (javadoc)
        Path resolved = page.getParent().resolve(path).normalize();
        if (!resolved.startsWith(ROOT)) broken.add(ROOT.relativize(page) + ": " + target + " (outside the repository)");
        else if (!Files.exists(resolved)) broken.add(ROOT.relativize(page) + ": " + target);
      }
    }
    assertTrue(broken.isEmpty(), "links to missing files: " + broken);
  }

  @Test
  void definitionsAreTheSharedReference() throws IOException {
    // docs/DEFINITIONS.md is a copy, so that a clone of the repository has it; the original sits
    // next to the lead's checkout (../shared/reference) and the two must not drift apart.
    Path shared = ROOT.getParent().resolve("shared/reference/DEFINITIONS.md");
    assumeTrue(Files.isRegularFile(shared), "no shared reference next to this checkout");
    assertEquals(Files.readString(shared), Files.readString(ROOT.resolve("docs/DEFINITIONS.md")),
        "docs/DEFINITIONS.md differs from " + shared + "; copy the reference again");
  }

  @Test
  void outputComparisonCanFail() {
    // The comparison used above, checked on known cases so that a bug in it cannot hide stale docs.
    assertEquals(null, DocBlocks.compareOutput("loss 0.250 at step 3\n", "loss 0.250 at step 3\n", 0));
    assertFalse(DocBlocks.compareOutput("loss 0.250\n", "loss 0.251\n", 0) == null);
    assertEquals(null, DocBlocks.compareOutput("loss 0.250\n", "loss 0.2501\n", 1e-3));
    assertFalse(DocBlocks.compareOutput("loss 0.250\n", "loss 0.260\n", 1e-3) == null);
    assertFalse(DocBlocks.compareOutput("loss 0.250\n", "lost 0.250\n", 1e-3) == null);
    assertFalse(DocBlocks.compareOutput("a 1 2\n", "a 1\n", 1e-3) == null);
  }

  private static void rewrite(DocBlocks.Block b, String region) throws IOException {
    // Re-read the page: an earlier rewrite in this run may have moved its lines.
    DocBlocks.Block now = DocBlocks.blocks(b.doc(), null).stream()
        .filter(x -> x.kind() == DocBlocks.Kind.CODE && x.source().equals(b.source()) && x.region().equals(b.region()) && !x.content().equals(region))
        .findFirst().orElseThrow();
    List<String> lines = new ArrayList<>(Files.readAllLines(b.doc()));
    int open = now.line() - 1;
    int close = open + 1;
    while (!lines.get(close).startsWith("```")) close++;
    List<String> replacement = new ArrayList<>(List.of(region.split("\n", -1)));
    replacement.remove(replacement.size() - 1); // the region ends in '\n'
    lines.subList(open + 1, close).clear();
    lines.addAll(open + 1, replacement);
    Path tmp = b.doc().resolveSibling(b.doc().getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, b.doc(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
