package org.kru;

/**
 * Options of {@link Pack#cohortReportJson}, like the JS API's {@code ReportOptions}; unset
 * fields take the engine's defaults.
 */
public final class ReportOptions {
  private String by;
  private String journey;
  private Integer minN;
  private Double ceilingPercent;
  private Integer smallGroup;
  private Integer maxGroups;
  private Double attritionShare;

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

  /** A pre-test mean at or above this percentage gives a {@code ceiling} warning (default 90). */
  public ReportOptions ceilingPercent(double percent) {
    this.ceilingPercent = percent;
    return this;
  }

  /**
   * Small cells: a group smaller than this has its figures withheld in every output, with a
   * {@code small_group} warning (default 5; 1 shows every group).
   */
  public ReportOptions smallGroup(int size) {
    this.smallGroup = size;
    return this;
  }

  /** At most this many groups; further values are pooled in {@code "(other)"} (default 64). */
  public ReportOptions maxGroups(int groups) {
    this.maxGroups = groups;
    return this;
  }

  /** Attrition above this share gives an {@code attrition} warning (default 0.2). */
  public ReportOptions attritionShare(double share) {
    this.attritionShare = share;
    return this;
  }

  /** The options as the JSON kru_report_json() takes. */
  String toJson() {
    StringBuilder b = new StringBuilder("{");
    field(b, "by", by == null ? null : Json.quote(by));
    field(b, "journey", journey == null ? null : Json.quote(journey));
    field(b, "min_n", minN);
    field(b, "ceiling_percent", ceilingPercent);
    field(b, "small_group", smallGroup);
    field(b, "max_groups", maxGroups);
    field(b, "attrition_share", attritionShare);
    return b.append('}').toString();
  }

  private static void field(StringBuilder b, String key, Object jsonValue) {
    if (jsonValue == null) {
      return;
    }
    if (b.length() > 1) {
      b.append(',');
    }
    b.append('"').append(key).append("\":").append(jsonValue);
  }
}
