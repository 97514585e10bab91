package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A learner-facing text in the session's language, with the path of its audio reading. */
public final class Label {
  /** The text (UTF-8 from the engine, decoded intact: Khmer, Burmese, …). */
  public final String text;
  /** Path of the audio file reading the text in the pack's media folder, or null. */
  public final String audio;

  public Label(String text, String audio) {
    this.text = text;
    this.audio = audio;
  }

  static Label of(Object v, String what) {
    Map<String, Object> m = Json.obj(v, what);
    return new Label(Json.str(m, "text"), Json.optStr(m, "audio"));
  }

  static List<Label> list(Object v, String what) {
    List<Label> out = new ArrayList<>();
    for (Object o : Json.list(v, what)) {
      out.add(of(o, what));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return text;
  }
}
