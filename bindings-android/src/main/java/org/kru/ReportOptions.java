package org.kru;

/** Options of {@link Pack#cohortReportJson}; unset fields take the engine's defaults. */
public final class ReportOptions {
  private String by;
  private String journey;
  private Integer minN;

  /** Break the report down by this intake field, e.g. {@code "sex"}. */
  public ReportOptions by(String field) {
    this.by = field;
    return this;
  }

  /** Only records of this journey. */
  public ReportOptions journey(String journey) {
    this.journey = journey;
    return this;
  }

  /** Fewer paired learners than this gives a {@code small_n} warning (default 10). */
  public ReportOptions minN(int minN) {
    this.minN = minN;
    return this;
  }

  String toJson() {
    StringBuilder b = new StringBuilder("{");
    if (by != null) {
      b.append("\"by\":").append(Json.quote(by));
    }
    if (journey != null) {
      b.append(b.length() > 1 ? "," : "").append("\"journey\":").append(Json.quote(journey));
    }
    if (minN != null) {
      b.append(b.length() > 1 ? "," : "").append("\"min_n\":").append(minN);
    }
    return b.append('}').toString();
  }
}
