package org.kru;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * A C handle owned by a Java object: freed once, by {@code close()} or, if the app forgets, by
 * {@link Cleanup} ({@link java.lang.ref.Cleaner} where the platform has it) after the owner
 * becomes unreachable. Calls hold the read lock while
 * they use the pointer, so a {@code close()} on another thread waits for them and a call
 * after {@code close()} gets {@link KruException#INVALID_HANDLE} instead of a freed pointer.
 *
 * <p>The cleaning action must not refer to the owner (or it would never become unreachable):
 * it holds only the pointer and the free function.
 */
final class NativeHandle implements Runnable {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final LongConsumer free;
  private final String what;
  private long ptr;

  /** Owns {@code ptr}; register it with {@link Cleanup#INSTANCE} for its owner. */
  NativeHandle(long ptr, LongConsumer free, String what) {
    this.ptr = ptr;
    this.free = free;
    this.what = what;
  }

  /** The pointer, with the read lock held: call {@link #release()} in a finally block. */
  long acquire() {
    lock.readLock().lock();
    if (ptr == 0) {
      lock.readLock().unlock();
      throw new KruException(KruException.INVALID_HANDLE, "the " + what + " is closed");
    }
    return ptr;
  }

  void release() {
    lock.readLock().unlock();
  }

  boolean isClosed() {
    lock.readLock().lock();
    try {
      return ptr == 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the handle (once; later calls do nothing). Run by close() or by the Cleaner. */
  @Override
  public void run() {
    lock.writeLock().lock();
    try {
      if (ptr != 0) {
        long p = ptr;
        ptr = 0;
        free.accept(p);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
