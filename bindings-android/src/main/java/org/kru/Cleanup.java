package org.kru;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Runs a cleaning action once its owner becomes unreachable, or earlier through {@link
 * Cleanable#clean()}: {@link java.lang.ref.Cleaner} where the platform has it (every JVM 9+,
 * Android API 33+), else the same mechanism built on a {@link PhantomReference} queue and one
 * daemon thread (Android API 24 to 32). Actions must not refer to their owner.
 */
abstract class Cleanup {
  /** What {@link #register} gives: clean now (idempotent; the action runs at most once). */
  interface Cleanable {
    void clean();
  }

  abstract Cleanable register(Object owner, Runnable action);

  /** The one used by the library: java.lang.ref.Cleaner when present. */
  static final Cleanup INSTANCE = create(!"phantom".equals(System.getProperty("org.kru.cleanup")));

  static Cleanup create(boolean preferCleaner) {
    if (preferCleaner) {
      try {
        Class.forName("java.lang.ref.Cleaner");
        return new JdkCleanup();
      } catch (ClassNotFoundException | LinkageError e) {
        // Android before API 33: fall through.
      }
    }
    return new PhantomCleanup();
  }

  /** java.lang.ref.Cleaner (kept in its own class so older Android never loads it). */
  static final class JdkCleanup extends Cleanup {
    private final java.lang.ref.Cleaner cleaner = java.lang.ref.Cleaner.create();

    @Override
    Cleanable register(Object owner, Runnable action) {
      java.lang.ref.Cleaner.Cleanable c = cleaner.register(owner, action);
      return c::clean;
    }
  }

  /** The fallback: phantom references, a queue and a daemon thread, like Cleaner itself. */
  static final class PhantomCleanup extends Cleanup {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    // Keeps the phantom references reachable until they are cleaned.
    private final Set<Ref> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private final class Ref extends PhantomReference<Object> implements Cleanable {
      private Runnable action;

      Ref(Object owner, Runnable action) {
        super(owner, queue);
        this.action = action;
      }

      @Override
      public void clean() {
        Runnable a;
        synchronized (this) {
          a = action;
          action = null;
        }
        if (a != null) {
          live.remove(this);
          clear();
          a.run();
        }
      }
    }

    PhantomCleanup() {
      Thread t =
          new Thread(
              () -> {
                for (; ; ) {
                  try {
                    Reference<?> r = queue.remove();
                    if (r instanceof Cleanable) {
                      ((Cleanable) r).clean();
                    }
                  } catch (InterruptedException e) {
                    // keep cleaning: the thread lives as long as the process
                  } catch (RuntimeException e) {
                    // an action failed; the others still run
                  }
                }
              },
              "kru-cleanup");
      t.setDaemon(true);
      t.start();
    }

    @Override
    Cleanable register(Object owner, Runnable action) {
      Ref r = new Ref(owner, action);
      live.add(r);
      return r;
    }
  }

  private static final boolean HAS_FENCE = hasFence();

  private static boolean hasFence() {
    try {
      Reference.class.getMethod("reachabilityFence", Object.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static volatile Object sink;

  /**
   * Keeps {@code o} reachable up to this point (so that its handle is not cleaned while a
   * native call still uses it): {@link Reference#reachabilityFence} where it exists (JVM 9+,
   * Android API 28+), else a volatile write the compiler cannot drop.
   */
  static void fence(Object o) {
    if (HAS_FENCE) {
      Reference.reachabilityFence(o);
    } else {
      sink = o;
      sink = null;
    }
  }
}
