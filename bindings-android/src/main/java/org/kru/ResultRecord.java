package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The result record of one finished or abandoned session: a pseudonymous learner code, the
 * intake answers, every response, timestamps. A plain Java object (the native record is
 * copied and freed at once): nothing to close.
 *
 * <p>{@link #logFrame()} is what to append to the results log file (truncate the file to
 * {@link ResultsLog#appendOffset} first, then write and fsync).
 */
public final class ResultRecord {
  private final byte[] logFrame;
  /** The whole record as JSON (every field, for export or display). */
  public final String json;
  /** The learner code, pack id, journey id and language tag the session ended in. */
  public final String learner, packId, journey, language;
  /** The 16-byte record id (merging logs drops records whose id was already seen). */
  private final byte[] recordId;
  /** Whether the journey was completed (false: abandoned). */
  public final boolean completed;
  /** When it started and ended, milliseconds since the Unix epoch (host clock). */
  public final long startedAtMs, endedAtMs;
  /** How many questions were answered. */
  public final int responseCount;
  /** The intake answers: [field id, option code or text] pairs, in order. */
  public final List<String[]> demographics;
  /** Pre-test and post-test totals and the gain. */
  public final Scores scores;

  private ResultRecord(byte[] logFrame, String json, double[] scores) {
    this.logFrame = logFrame;
    this.json = json;
    this.scores = Scores.fromNative(scores);
    Map<String, Object> m = Json.obj(Json.parse(json), "record");
    learner = Json.str(m, "learner");
    packId = Json.str(m, "pack_id");
    journey = Json.str(m, "journey");
    language = Json.str(m, "language");
    completed = Json.bool(m, "completed");
    startedAtMs = Json.lng(m, "started_at");
    endedAtMs = Json.lng(m, "ended_at");
    responseCount = Json.list(m.get("responses"), "responses").size();
    List<Object> id = Json.list(m.get("record_id"), "record_id");
    recordId = new byte[id.size()];
    for (int i = 0; i < recordId.length; i++) {
      recordId[i] = (byte) (long) (Long) id.get(i);
    }
    List<String[]> d = new ArrayList<>();
    for (Object pair : Json.list(m.get("demographics"), "demographics")) {
      List<Object> p = Json.list(pair, "demographics[]");
      d.add(new String[] {(String) p.get(0), (String) p.get(1)});
    }
    demographics = Collections.unmodifiableList(d);
  }

  /** Copies a native record into Java and frees it (on every path). */
  static ResultRecord take(long ptr) {
    try {
      return new ResultRecord(
          Native.recordLogFrame(ptr), Utf8.decode(Native.recordJson(ptr)), Native.recordScores(ptr));
    } finally {
      Native.recordFree(ptr);
    }
  }

  /** The bytes to append to the results log: one frame (a copy). */
  public byte[] logFrame() {
    return logFrame.clone();
  }

  /** The 16-byte record id (a copy). */
  public byte[] recordId() {
    return recordId.clone();
  }

  /** The intake answer of {@code field} (e.g. {@code sex}), or null. */
  public String demographic(String field) {
    for (String[] p : demographics) {
      if (p[0].equals(field)) {
        return p[1];
      }
    }
    return null;
  }
}
