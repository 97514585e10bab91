package org.kru;

import java.nio.charset.StandardCharsets;

/** Strings to and from the UTF-8 bytes the JNI layer passes (never JNI's modified UTF-8). */
final class Utf8 {
  private Utf8() {}

  static byte[] encode(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String decode(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static byte[][] encodeAll(java.util.List<String> list, String what) {
    byte[][] out = new byte[list.size()][];
    for (int i = 0; i < out.length; i++) {
      Session.notNull(list.get(i), what + "[" + i + "]");
      out[i] = encode(list.get(i));
    }
    return out;
  }
}
