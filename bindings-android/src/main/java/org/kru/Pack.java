package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A loaded, verified content pack. Immutable and thread-safe: share one pack between all the
 * sessions and threads of the app. Sessions keep the pack's data alive, so closing the pack
 * while sessions run is safe.
 *
 * <p>Close it when done ({@code try (Pack pack = Pack.load(…)) { … }}); a pack that is
 * forgotten is freed by a {@link java.lang.ref.Cleaner} (on Android before API 33, the same
 * mechanism on a phantom-reference queue) after it becomes unreachable.
 */
public final class Pack implements AutoCloseable {
  private final NativeHandle handle;
  private final Cleanup.Cleanable cleanable;

  private Pack(long ptr) {
    handle = new NativeHandle(ptr, Native::packFree, "pack");
    cleanable = Cleanup.INSTANCE.register(this, handle);
  }

  /**
   * Loads a pack file's bytes: checks its header, checksum, signature against {@code options},
   * payload and invariants. The bytes are copied.
   *
   * @throws KruException with a {@code PACK_*} code and a message that says what is wrong and
   *     where (e.g. {@code PACK_CHECKSUM_MISMATCH} for a damaged file, {@code
   *     PACK_UNTRUSTED_SIGNER}), or {@code INVALID_PUBLIC_KEY} for a bad key in the options.
   */
  public static Pack load(byte[] bytes, LoadOptions options) {
    Session.notNull(bytes, "bytes");
    Session.notNull(options, "options");
    long trust = Native.trustNew();
    try {
      for (byte[] key : options.keys()) {
        Native.trustAddKey(trust, key);
      }
      for (String hex : options.hexKeys()) {
        Native.trustAddKeyHex(trust, Utf8.encode(hex));
      }
      if (options.allowUnsigned()) {
        Native.trustAllowUnsigned(trust);
      }
      return new Pack(Native.packLoad(trust, bytes));
    } finally {
      Native.trustFree(trust);
    }
  }

  /** Runs {@code call} with the pointer, holding it against a concurrent close(). */
  <T> T with(LongFunction<T> call) {
    long p = handle.acquire();
    try {
      return call.apply(p);
    } finally {
      handle.release();
      Cleanup.fence(this);
    }
  }

  /** The pack's id, e.g. {@code safe-migration}. */
  public String id() {
    return with(p -> Utf8.decode(Native.packId(p)));
  }

  /** The content version, {@code major.minor.patch}. */
  public String version() {
    int[] v = with(Native::packVersion);
    return v[0] + "." + v[1] + "." + v[2];
  }

  /** A language of the pack. */
  public static final class Language {
    /** Its index among the pack's languages (for {@link #title(int)}, {@link #journeys(int)}). */
    public final int index;
    /** BCP 47 tag, e.g. {@code km}. */
    public final String tag;
    /** Its own name, e.g. {@code ខ្មែរ}. */
    public final String name;
    /** Whether a native speaker reviewed the translation. */
    public final boolean reviewed;

    Language(int index, String tag, String name, boolean reviewed) {
      this.index = index;
      this.tag = tag;
      this.name = name;
      this.reviewed = reviewed;
    }
  }

  /** The pack's languages. */
  public List<Language> languages() {
    return with(
        p -> {
          int n = Native.packLanguageCount(p);
          List<Language> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            byte[][] l = Native.packLanguage(p, i);
            out.add(new Language(i, Utf8.decode(l[0]), Utf8.decode(l[1]), l[2][0] != 0));
          }
          return Collections.unmodifiableList(out);
        });
  }

  /** The index of the pack's default (fallback) language. */
  public int defaultLanguage() {
    return with(Native::packDefaultLanguage);
  }

  /** The pack's title in pack language {@code language} (an index), with fallback. */
  public String title(int language) {
    return with(p -> Utf8.decode(Native.packTitle(p, language)[0]));
  }

  /** The pack's description in pack language {@code language}, with fallback. */
  public String description(int language) {
    return with(p -> Utf8.decode(Native.packTitle(p, language)[1]));
  }

  /** A journey of the pack: its id (what {@link StartOptions#journey} takes) and title. */
  public static final class Journey {
    public final String id;
    public final String title;

    Journey(String id, String title) {
      this.id = id;
      this.title = title;
    }
  }

  /** The journeys, titled in the default language. */
  public List<Journey> journeys() {
    return journeys(defaultLanguage());
  }

  /** The journeys, titled in pack language {@code language}. */
  public List<Journey> journeys(int language) {
    return with(
        p -> {
          int n = Native.packJourneyCount(p);
          List<Journey> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            byte[][] j = Native.packJourney(p, i, language);
            out.add(new Journey(Utf8.decode(j[0]), Utf8.decode(j[1])));
          }
          return Collections.unmodifiableList(out);
        });
  }

  /**
   * The cohort report of a results log for this pack, as JSON (the core's {@code CohortReport},
   * schema in docs/report.md): what the cohort knew before and after, item statistics,
   * indicators, per group. Damage in the log is skipped and reported.
   *
   * @param options null for the defaults
   * @throws KruException {@code REPORT_UNKNOWN_FIELD}, {@code UNKNOWN_JOURNEY}, …
   */
  public String cohortReportJson(byte[] log, ReportOptions options) {
    Session.notNull(log, "log");
    byte[] opts = options == null ? null : Utf8.encode(options.toJson());
    return with(p -> Utf8.decode(Native.reportJson(p, log, opts)));
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return handle.isClosed();
  }

  /** Frees the pack (sessions started from it keep working). Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
