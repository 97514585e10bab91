package org.kru;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * Forgotten handles are freed: by java.lang.ref.Cleaner here, and by the phantom-reference
 * fallback that Android before API 33 uses.
 */
public class CleanupTest {
  private static void forgottenOwnersAreCleaned(Cleanup cleanup) throws InterruptedException {
    AtomicInteger cleaned = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      cleanup.register(new Object(), cleaned::incrementAndGet);
    }
    for (int i = 0; i < 200 && cleaned.get() < 1000; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(1000, cleaned.get());
    // clean() runs the action once, however often it is called, and not again later.
    AtomicInteger once = new AtomicInteger();
    Object owner = new Object();
    Cleanup.Cleanable c = cleanup.register(owner, once::incrementAndGet);
    c.clean();
    c.clean();
    owner = null;
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(5);
    }
    assertEquals(1, once.get());
  }

  @Test
  public void jdkCleaner() throws InterruptedException {
    Cleanup c = Cleanup.create(true);
    assertTrue(c instanceof Cleanup.JdkCleanup);
    assertTrue(Cleanup.INSTANCE instanceof Cleanup.JdkCleanup);
    forgottenOwnersAreCleaned(c);
  }

  @Test
  public void phantomFallback() throws InterruptedException {
    Cleanup c = Cleanup.create(false);
    assertTrue(c instanceof Cleanup.PhantomCleanup);
    forgottenOwnersAreCleaned(c);
  }
}
