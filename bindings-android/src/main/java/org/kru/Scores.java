package org.kru;

import java.util.Map;

/**
 * Pre-test and post-test totals and the gain of a session or record. A part that does not
 * exist (no pre-test, no gain) has its {@code has*} flag false and its numbers 0.
 */
public final class Scores {
  public final boolean hasPre;
  public final double preScore, preMax;
  public final boolean hasPost;
  public final double postScore, postMax;
  public final boolean hasGain;
  /** Post% − pre%, in percentage points. */
  public final double gainAbsolute;
  /** Whether the normalised gain exists (not when the pre-test was already 100%). */
  public final boolean hasNormalisedGain;
  /** (post% − pre%) / (100 − pre%). */
  public final double gainNormalised;

  private Scores(double[] v) {
    hasPre = v[0] != 0;
    preScore = v[1];
    preMax = v[2];
    hasPost = v[3] != 0;
    postScore = v[4];
    postMax = v[5];
    hasGain = v[6] != 0;
    gainAbsolute = v[7];
    hasNormalisedGain = v[8] != 0;
    gainNormalised = v[9];
  }

  static Scores fromNative(double[] v) {
    return new Scores(v);
  }

  /** From a done step's JSON: {@code pre}, {@code post} ({score, max} or null), {@code gain}. */
  static Scores fromJson(Map<String, Object> m) {
    double[] v = new double[10];
    if (m.get("pre") != null) {
      Map<String, Object> p = Json.obj(m.get("pre"), "pre");
      v[0] = 1;
      v[1] = Json.dbl(p, "score");
      v[2] = Json.dbl(p, "max");
    }
    if (m.get("post") != null) {
      Map<String, Object> p = Json.obj(m.get("post"), "post");
      v[3] = 1;
      v[4] = Json.dbl(p, "score");
      v[5] = Json.dbl(p, "max");
    }
    if (m.get("gain") != null) {
      Map<String, Object> g = Json.obj(m.get("gain"), "gain");
      v[6] = 1;
      v[7] = Json.dbl(g, "absolute");
      if (g.get("normalised") != null) {
        v[8] = 1;
        v[9] = Json.dbl(g, "normalised");
      }
    }
    return new Scores(v);
  }

  @Override
  public String toString() {
    return "pre "
        + (hasPre ? preScore + "/" + preMax : "-")
        + ", post "
        + (hasPost ? postScore + "/" + postMax : "-")
        + (hasGain ? ", gain " + gainAbsolute + " points" : "");
  }
}
