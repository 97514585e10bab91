package org.kru;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * No native leaks: 10,000 iterations of two sessions each (a session and its restored copy;
 * every other iteration closes them, the others are forgotten and left to the Cleaner) leave
 * the resident set size where it was. Run with a fixed, pre-touched Java heap ({@code -Xms} =
 * {@code -Xmx}, {@code -XX:+AlwaysPreTouch}) so that RSS growth is native memory.
 */
public class LeakTest {
  static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }

  /**
   * One short session: start, a few steps, a snapshot, a restore, an error, abandon. Closes
   * both sessions when {@code close}; returns them.
   */
  private static Session[] session(Pack pack, int i, boolean close) {
    Session s =
        Session.start(
            pack,
            new StartOptions()
                .journey(i % 2 == 0 ? "kiosk" : "school")
                .languages("km")
                .seed(i)
                .learner("R-" + i)
                .nowMs(Fixtures.T0));
    for (int k = 0; k < 6; k++) {
      Fixtures.act(s, s.step(), Fixtures.T0 + k);
    }
    Session r = Session.restore(pack, s.snapshot());
    try {
      r.answerChoice(99, 0);
    } catch (KruException expected) {
      // an error message per call, too
    }
    r.abandon(Fixtures.T0 + 10).logFrame();
    if (close) {
      s.close();
      r.close();
    }
    return new Session[] {s, r};
  }

  /** Collects garbage until a fresh weakly held object is gone and the Cleaner has run. */
  private static void settle() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      WeakReference<Object> probe = new WeakReference<>(new Object());
      do {
        System.gc();
        Thread.sleep(20);
      } while (probe.get() != null);
    }
    Thread.sleep(200); // the Cleaner thread frees what the last collections found
  }

  @Test
  public void tenThousandSessionsKeepRssStable() throws Exception {
    Pack pack = Fixtures.pack();
    // Calibration: what the sessions of the loop cost while open, so that the bound below is
    // meaningful (memory freed by earlier tests is reused first, so hold many).
    settle();
    long before = rssKiB();
    List<Session> open = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      open.addAll(java.util.Arrays.asList(session(pack, i, false)));
    }
    long held = rssKiB() - before;
    for (Session s : open) {
      s.close();
    }
    double perSessionKiB = held / (double) open.size();
    open.clear();

    for (int i = 0; i < 1000; i++) {
      session(pack, i, i % 2 == 0); // warm-up: allocator pools, JIT
    }
    settle();
    long warm = rssKiB();
    for (int i = 0; i < 10_000; i++) {
      session(pack, i, i % 2 == 0);
      if (i % 2000 == 1999) {
        System.gc(); // let the Cleaner keep up with the forgotten half
      }
    }
    settle();
    long after = rssKiB();
    long growth = after - warm;
    long bound = 8 * 1024; // KiB
    // Forgotten: both sessions of every other iteration, 10,000 in all.
    long forgotten = 10_000;
    System.out.printf(
        "  RSS: %d KiB after warm-up, %d KiB after 10,000 sessions: %+d KiB (bound %d KiB);"
            + " an open session holds ~%.1f KiB, so leaking the %d forgotten ones would"
            + " add ~%.0f KiB%n",
        warm, after, growth, bound, perSessionKiB, forgotten, perSessionKiB * forgotten);
    assertTrue(
        "a leak must be well over the bound: " + perSessionKiB + " KiB a session",
        perSessionKiB * forgotten > 2 * bound);
    assertTrue("RSS grew by " + growth + " KiB over 10,000 sessions", growth < bound);
  }
}
