package org.kru;

/**
 * The JNI functions of {@code libkru_jni} (bindings-android/src/main/c/kru_jni.c), one per C
 * function of kru.h that the Java API uses. Handles are the C pointers as {@code long};
 * strings go both ways as UTF-8 {@code byte[]} (the C strings are not NUL-terminated and JNI's
 * modified UTF-8 is not UTF-8). Every failure throws {@link KruException} with the C result
 * code and the library's message. Package-private: the public classes own the handles.
 */
final class Native {
  private Native() {}

  /** The KRU_ABI_VERSION this Java layer was written for. */
  static final int EXPECTED_ABI = 2;

  /** System property with the absolute path of the JNI library (host tests, desktop JVMs). */
  static final String LIBRARY_PROPERTY = "org.kru.jni.library";

  static {
    String path = System.getProperty(LIBRARY_PROPERTY);
    if (path != null && !path.isEmpty()) {
      System.load(path);
    } else {
      System.loadLibrary("kru_jni"); // Android: lib/<abi>/libkru_jni.so in the APK
    }
    int abi = abiVersion();
    if (abi != EXPECTED_ABI) {
      throw new UnsatisfiedLinkError(
          "libkru_jni was built against kru ABI " + abi + ", this Java API needs " + EXPECTED_ABI);
    }
  }

  // Versions and errors
  static native String version();

  static native int abiVersion();

  static native String resultName(int code);

  // Trust and packs
  static native long trustNew();

  static native void trustAddKey(long trust, byte[] key);

  static native void trustAddKeyHex(long trust, byte[] hexUtf8);

  static native void trustAllowUnsigned(long trust);

  static native void trustFree(long trust);

  static native long packLoad(long trust, byte[] bytes);

  static native void packFree(long pack);

  static native byte[] packId(long pack);

  /** {major, minor, patch}. */
  static native int[] packVersion(long pack);

  static native int packLanguageCount(long pack);

  static native int packDefaultLanguage(long pack);

  /** {tag, name, {1 if reviewed else 0}}. */
  static native byte[][] packLanguage(long pack, int index);

  static native int packJourneyCount(long pack);

  /** {id, title} with the title in pack language {@code language}. */
  static native byte[][] packJourney(long pack, int index, int language);

  /** {title, description} in pack language {@code language}. */
  static native byte[][] packTitle(long pack, int language);

  static native byte[] reportJson(long pack, byte[] log, byte[] optionsJson);

  // Sessions
  static native long sessionStart(
      long pack, byte[] journey, byte[][] languages, long seed, byte[] learner, long nowMs);

  static native long sessionRestore(long pack, byte[] snapshot);

  static native void sessionFree(long session);

  static native byte[] sessionSnapshot(long session);

  static native int sessionStepKind(long session);

  static native byte[] sessionStepJson(long session);

  static native void sessionAnswerChoice(long session, int choice, long nowMs);

  static native void sessionAnswerChoices(long session, int[] choices, long nowMs);

  static native void sessionAnswerBool(long session, boolean value, long nowMs);

  static native void sessionAnswerOrder(long session, int[] order, long nowMs);

  static native void sessionAnswerMatches(long session, int[] matches, long nowMs);

  static native void sessionAnswerText(long session, byte[] text, long nowMs);

  static native void sessionAnswerScale(long session, int point, long nowMs);

  static native void sessionAnswerDontKnow(long session, long nowMs);

  static native void sessionAdvance(long session, long nowMs);

  /** The record handle. */
  static native long sessionFinish(long session, long nowMs);

  /** The record handle. */
  static native long sessionAbandon(long session, long nowMs);

  static native boolean sessionIsFinished(long session);

  /** {done, total, 1 if at the end else 0}. */
  static native long[] sessionProgress(long session);

  static native void sessionSetLanguages(long session, byte[][] languages);

  static native byte[] sessionLanguage(long session);

  /** {journey, learner}. */
  static native byte[][] sessionInfo(long session);

  static native long sessionSeed(long session);

  // Records and logs
  static native void recordFree(long record);

  static native byte[] recordLogFrame(long record);

  static native byte[] recordJson(long record);

  /**
   * {hasPre, preScore, preMax, hasPost, postScore, postMax, hasGain, gainAbsolute,
   * hasNormalisedGain, gainNormalised} with the flags as 0 or 1.
   */
  static native double[] recordScores(long record);

  static native long logAppendOffset(byte[] log);

  static native long logRead(byte[] log);

  static native void logFree(long log);

  /** {records, damaged, undecodable}. */
  static native long[] logCounts(long log);

  /** A record handle (a copy: free it). */
  static native long logRecord(long log, int index);

  /** {offset, length}. */
  static native long[] logDamage(long log, int index);

  static native byte[] logDescribe(long log);

  static native byte[] logMerge(byte[][] logs);
}
