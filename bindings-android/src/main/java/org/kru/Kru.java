package org.kru;

/**
 * Library-wide facts. The native library ({@code libkru_jni.so}) loads on first use; on a
 * desktop JVM set the system property {@code org.kru.jni.library} to its absolute path.
 */
public final class Kru {
  private Kru() {}

  /** The engine's version, e.g. {@code 0.1.0}. */
  public static String version() {
    return Native.version();
  }

  /** The C ABI version of the loaded library ({@code KRU_ABI_VERSION}). */
  public static int abiVersion() {
    return Native.abiVersion();
  }

  /** The name of a result code, e.g. {@code KRU_PACK_TRUNCATED}. */
  public static String resultName(int code) {
    return Native.resultName(code);
  }
}
