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
  /**
   * Whether that audio is a synthetic voice (text to speech), not a person's recording: the
   * engine's rule (a folder of the path named {@code synthetic}), as C's step JSON and WASM's
   * {@code synthetic} give it. A player names it ("a synthetic voice, not a person"). False
   * when there is no audio.
   */
  public final boolean synthetic;

  /** A label whose audio, if any, is a person's recording. */
  public Label(String text, String audio) {
    this(text, audio, false);
  }

  public Label(String text, String audio, boolean synthetic) {
    this.text = text;
    this.audio = audio;
    this.synthetic = synthetic;
  }

  static Label of(Object v, String what) {
    Map<String, Object> m = Json.obj(v, what);
    // The engine writes "synthetic": true only when it is (left out otherwise).
    boolean synthetic = m.get("synthetic") != null && Json.bool(m, "synthetic");
    return new Label(Json.str(m, "text"), Json.optStr(m, "audio"), synthetic);
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
