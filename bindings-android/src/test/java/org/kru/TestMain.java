package org.kru;

import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs the host tests with JUnit 4 and prints one line per test and {@code N passed, M
 * failed} (what {@code cargo xtask test jvm} reads). Exit status 0 only when all passed.
 */
public final class TestMain {
  private TestMain() {}

  static final Class<?>[] CLASSES = {
    JourneyTest.class,
    SnapshotTest.class,
    AnswerErrorsTest.class,
    PackAndLogTest.class,
    ThreadsTest.class,
    CleanupTest.class,
    LeakTest.class,
  };

  public static void main(String[] args) {
    JUnitCore core = new JUnitCore();
    final int[] counts = new int[2];
    core.addListener(
        new RunListener() {
          private boolean failed;
          private long start;

          @Override
          public void testStarted(Description d) {
            failed = false;
            start = System.nanoTime();
          }

          @Override
          public void testFailure(Failure f) {
            failed = true;
            System.out.println("FAIL " + f.getDescription().getDisplayName());
            System.out.println(f.getTrace());
          }

          @Override
          public void testFinished(Description d) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!failed) {
              System.out.println("ok   " + d.getDisplayName() + " (" + ms + " ms)");
              counts[0]++;
            } else {
              counts[1]++;
            }
          }
        });
    Result r = core.run(CLASSES);
    if (r.getIgnoreCount() > 0) {
      System.out.println(r.getIgnoreCount() + " ignored: not allowed");
      counts[1] += r.getIgnoreCount();
    }
    System.out.println(counts[0] + " passed, " + counts[1] + " failed");
    System.exit(counts[1] == 0 && counts[0] > 0 ? 0 : 1);
  }
}
