package org.kru;

/** Progress for a progress bar: planned steps done and in all. */
public final class Progress {
  public final long done, total;
  /** Whether the end of the journey is reached (or the session ended). */
  public final boolean atEnd;

  Progress(long[] v) {
    done = v[0];
    total = v[1];
    atEnd = v[2] != 0;
  }
}
