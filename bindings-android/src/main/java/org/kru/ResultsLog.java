package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The results log: an append-only file of record frames, read back with damage (a torn last
 * write, a bad sector) skipped and reported, never fatal. Like the JS API's {@code readLog},
 * {@code logAppendOffset} and {@code mergeLogs}.
 */
public final class ResultsLog {
  private ResultsLog() {}

  /** A damaged stretch skipped: its byte offset in the log and its length. */
  public static final class Damage {
    public final long offset, length;

    Damage(long offset, long length) {
      this.offset = offset;
      this.length = length;
    }
  }

  /** What was read from a log. */
  public static final class Contents {
    /** The records, in log order. */
    public final List<ResultRecord> records;
    /** Damaged stretches skipped. */
    public final List<Damage> damaged;
    /** Intact frames that do not decode (e.g. written by a newer engine). */
    public final long undecodable;
    /** A sentence for people, e.g. {@code 3 records, 1 damaged stretches (17 bytes) skipped}. */
    public final String description;

    Contents(List<ResultRecord> records, List<Damage> damaged, long undecodable, String description) {
      this.records = records;
      this.damaged = damaged;
      this.undecodable = undecodable;
      this.description = description;
    }
  }

  /** Reads every record of a log file's bytes. Damage is skipped and reported. */
  public static Contents read(byte[] log) {
    Session.notNull(log, "log");
    long ptr = Native.logRead(log);
    try {
      long[] counts = Native.logCounts(ptr);
      List<ResultRecord> records = new ArrayList<>((int) counts[0]);
      for (int i = 0; i < counts[0]; i++) {
        records.add(ResultRecord.take(Native.logRecord(ptr, i)));
      }
      List<Damage> damaged = new ArrayList<>((int) counts[1]);
      for (int i = 0; i < counts[1]; i++) {
        long[] d = Native.logDamage(ptr, i);
        damaged.add(new Damage(d[0], d[1]));
      }
      return new Contents(
          Collections.unmodifiableList(records),
          Collections.unmodifiableList(damaged),
          counts[2],
          Utf8.decode(Native.logDescribe(ptr)));
    } finally {
      Native.logFree(ptr);
    }
  }

  /**
   * Where to truncate the log file before appending: the end of the last complete frame when
   * the log ends in damage (a torn write), else its length.
   */
  public static long appendOffset(byte[] log) {
    Session.notNull(log, "log");
    return Native.logAppendOffset(log);
  }

  /**
   * Merges logs (e.g. from many tablets) into one clean log without duplicate records (same
   * record id), keeping the first copy; damaged stretches are dropped.
   */
  public static byte[] merge(byte[]... logs) {
    Session.notNull(logs, "logs");
    for (int i = 0; i < logs.length; i++) {
      Session.notNull(logs[i], "logs[" + i + "]");
    }
    return Native.logMerge(logs);
  }
}
