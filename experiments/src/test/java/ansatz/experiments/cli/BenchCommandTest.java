package ansatz.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  @Test
  void forwardsTheOptionsInTheDriversSyntax() {
    BenchCommand c = new BenchCommand();
    new CommandLine(c).parseArgs("--quick", "--workloads", "mlp_train_ce,agop_mlp", "--torch-script", "/a/torch_bench.py",
        "--rounds", "2", "--heap", "4g");
    assertEquals(List.of("--quick", "--workloads", "mlp_train_ce,agop_mlp", "--rounds", "2", "--threads", "2",
        "--torch-script", "/a/torch_bench.py", "--out", "results/bench", "--heap", "4g"), c.forwardedOptions());
  }

  @Test
  void missingBenchmarkJarIsBadInputWithAHint() {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    int code;
    try {
      code = AnsatzMain.execute("bench", "--bench-jar", "/no/such/benchmarks.jar");
    } finally {
      System.setErr(old);
    }
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, code);
    assertTrue(buf.toString().contains("/no/such/benchmarks.jar not found") && buf.toString().contains("mvnw"), buf.toString());
  }
}
