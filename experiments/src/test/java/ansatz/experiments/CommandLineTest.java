package ansatz.experiments;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.experiments.cli.AnsatzMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static String captureErr(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString();
  }

  @Test
  void unknownExperimentIsBadInputWithOneClearLine() {
    int[] code = new int[1];
    String err = captureErr(() -> code[0] = AnsatzMain.execute("run", "no-such-experiment"));
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, code[0]);
    assertTrue(err.contains("unknown experiment 'no-such-experiment'"), err);
    assertFalse(err.contains("\tat "), "no stack trace expected: " + err);
  }

  @Test
  void badOptionOfAnExperimentIsBadInput() {
    int[] code = new int[1];
    String err = captureErr(() -> code[0] = AnsatzMain.execute("run", "demo", "--bogus"));
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, code[0]);
    assertTrue(err.contains("--bogus"), err);
  }

  @Test
  void unknownSubcommandIsUsageError() {
    int[] code = new int[1];
    captureErr(() -> code[0] = AnsatzMain.execute("frobnicate"));
    assertEquals(AnsatzMain.EXIT_BAD_INPUT, code[0]);
  }

  @Test
  void listShowsEveryExperiment() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    int code;
    try {
      code = AnsatzMain.execute("list");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    for (String name : Experiments.all().keySet()) assertTrue(buf.toString().contains(name), buf.toString());
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    for (String command : new String[] {"train", "rfm", "deep-rfm", "bench", "reproduce"}) {
      PrintStream old = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true));
      int[] code = new int[1];
      String err;
      try {
        err = captureErr(() -> code[0] = AnsatzMain.execute(command, "--help"));
      } finally {
        System.setOut(old);
      }
      assertEquals(0, code[0], command + " --help: " + err);
      assertTrue(buf.toString().contains("Usage: ansatz " + command), command + " --help printed: " + buf);
    }
  }

  @Test
  void everyExperimentAnswersHelpWithItsOptions() {
    for (String name : Experiments.all().keySet()) {
      PrintStream old = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true));
      int[] code = new int[1];
      String err;
      try {
        err = captureErr(() -> code[0] = AnsatzMain.execute("run", name, "--help"));
      } finally {
        System.setOut(old);
      }
      assertEquals(0, code[0], name + " --help: " + err);
      assertTrue(buf.toString().contains("Usage: ansatz run " + name), name + " --help printed: " + buf);
      assertFalse(buf.toString().contains("claims hold"), name + " --help must not run the experiment: " + buf);
    }
  }

  @Test
  void demoLossFalls() {
    DemoX1X2.Result r = DemoX1X2.train(6, 32, 256, 120, 0.05, 7, null);
    assertTrue(r.last() < r.first() / 5, "loss " + r.first() + " -> " + r.last());
  }
}
