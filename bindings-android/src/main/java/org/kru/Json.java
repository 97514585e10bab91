package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for what the engine hands out (steps, records): objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Long} when integral
 * and {@code Double} otherwise, plus {@code String}, {@code Boolean} and {@code null}.
 * Package-private: the public API gives typed objects.
 */
final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value; anything malformed or trailing is a {@link KruException}. */
  static Object parse(String text) {
    Json p = new Json(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != p.s.length()) {
      throw p.error("unexpected text after the value");
    }
    return v;
  }

  private KruException error(String what) {
    return new KruException(
        KruException.SESSION_ERROR, "the engine's JSON does not parse at offset " + i + ": " + what);
  }

  private void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        i++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) {
    if (depth > 64) {
      throw error("nested too deeply");
    }
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw error("expected " + word);
    }
    i += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek('}')) {
      i++;
      return Collections.unmodifiableMap(m);
    }
    for (; ; ) {
      ws();
      if (!peek('"')) {
        throw error("expected a key");
      }
      String k = string();
      ws();
      expect(':');
      ws();
      m.put(k, value(depth + 1));
      ws();
      if (peek(',')) {
        i++;
        continue;
      }
      expect('}');
      return Collections.unmodifiableMap(m);
    }
  }

  private List<Object> array(int depth) {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (peek(']')) {
      i++;
      return Collections.unmodifiableList(l);
    }
    for (; ; ) {
      ws();
      l.add(value(depth + 1));
      ws();
      if (peek(',')) {
        i++;
        continue;
      }
      expect(']');
      return Collections.unmodifiableList(l);
    }
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private String string() {
    i++; // opening quote
    StringBuilder b = new StringBuilder();
    for (; ; ) {
      if (i >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          if (i + 4 > s.length()) {
            throw error("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw error("bad \\u escape");
          }
          i += 4;
          break;
        default:
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Object number() {
    int start = i;
    if (peek('-')) {
      i++;
    }
    boolean integral = true;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        i++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        i++;
      } else {
        break;
      }
    }
    String t = s.substring(start, i);
    try {
      if (integral) {
        return Long.parseLong(t);
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException x) {
      // Integers beyond a long (not produced by the engine) still read as a double.
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException y) {
        throw error("bad number '" + t + "'");
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Typed reads of a parsed object, with messages that name the field.

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object v, String what) {
    if (!(v instanceof Map)) {
      throw shape(what, "an object", v);
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v, String what) {
    if (!(v instanceof List)) {
      throw shape(what, "a list", v);
    }
    return (List<Object>) v;
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof String)) {
      throw shape(key, "a string", v);
    }
    return (String) v;
  }

  static String optStr(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : str(m, key);
  }

  static long lng(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Long)) {
      throw shape(key, "an integer", v);
    }
    return (Long) v;
  }

  static double dbl(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number)) {
      throw shape(key, "a number", v);
    }
    return ((Number) v).doubleValue();
  }

  static boolean bool(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Boolean)) {
      throw shape(key, "a boolean", v);
    }
    return (Boolean) v;
  }

  static KruException shape(String what, String expected, Object got) {
    return new KruException(
        KruException.SESSION_ERROR,
        "the engine's JSON has an unexpected shape: `"
            + what
            + "` should be "
            + expected
            + ", not "
            + (got == null ? "null" : got.getClass().getSimpleName()));
  }

  /** JSON string literal for {@code s} (for report options). */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }
}
