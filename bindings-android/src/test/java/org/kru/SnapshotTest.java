package org.kru;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Snapshot and restore at every step give exactly the straight run. */
public class SnapshotTest {
  private static void everyStep(String journey, String language, long seed) {
    List<String> straight = Fixtures.straightRun(journey, language, seed);
    int steps = straight.size() - 1; // the record last
    assertTrue(steps > 10);
    for (int k = 0; k < steps; k++) {
      List<String> trace = new ArrayList<>();
      byte[] snap;
      long now = Fixtures.T0;
      try (Session s = Fixtures.start(journey, language, seed)) {
        for (int i = 0; i < k; i++) {
          trace.add(s.stepJson());
          now += 1000;
          Fixtures.act(s, s.step(), now);
        }
        snap = s.snapshot();
      } // closed: the app was killed here
      try (Session s = Session.restore(Fixtures.pack(), snap)) {
        for (; ; ) {
          Step step = s.step();
          trace.add(s.stepJson());
          if (step.kind() == Step.Kind.DONE) {
            trace.add(s.finish(now).json);
            break;
          }
          now += 1000;
          Fixtures.act(s, step, now);
        }
      }
      assertEquals("restored at step " + k + " of " + journey, straight, trace);
    }
  }

  @Test
  public void kioskAtEveryStep() {
    everyStep("kiosk", "km", 42);
  }

  @Test
  public void schoolAtEveryStep() {
    everyStep("school", "km", 7);
  }

  @Test
  public void damagedSnapshotsAreRefused() {
    byte[] snap;
    try (Session s = Fixtures.start("school", "en", 1)) {
      for (int i = 0; i < 8; i++) {
        Fixtures.act(s, s.step(), Fixtures.T0 + i);
      }
      snap = s.snapshot();
    }
    for (int cut = 0; cut < snap.length; cut++) {
      byte[] t = java.util.Arrays.copyOf(snap, cut);
      Fixtures.expect(KruException.BAD_SNAPSHOT, () -> Session.restore(Fixtures.pack(), t));
    }
    int refused = 0;
    for (int i = 0; i < snap.length; i++) {
      byte[] f = snap.clone();
      f[i] ^= 0x5A;
      try (Session s = Session.restore(Fixtures.pack(), f)) {
        s.step(); // a flip the format cannot detect must still give a usable session
      } catch (KruException e) {
        assertEquals(KruException.BAD_SNAPSHOT, e.code());
        refused++;
      }
    }
    assertTrue("most flipped bytes are refused: " + refused + "/" + snap.length, refused > snap.length / 2);
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> Session.restore(Fixtures.pack(), null));
  }
}
