package org.kru;

import java.util.Map;

/** A help service (hotline) in the session's language. */
public final class Resource {
  /** Its id, e.g. {@code hotline-1288}. */
  public final String id;
  /** Name of the service. */
  public final Label name;
  /** The number to dial, e.g. {@code 1288}. */
  public final String phone;
  /** Opening hours. */
  public final Label hours;
  /** What it is for. */
  public final Label purpose;
  /** When the number was last verified: year, month (1-12), day. */
  public final int verifiedYear, verifiedMonth, verifiedDay;

  Resource(Map<String, Object> m) {
    id = Json.str(m, "id");
    name = Label.of(m.get("name"), "name");
    phone = Json.str(m, "phone");
    hours = Label.of(m.get("hours"), "hours");
    purpose = Label.of(m.get("purpose"), "purpose");
    Map<String, Object> v = Json.obj(m.get("verified"), "verified");
    verifiedYear = (int) Json.lng(v, "year");
    verifiedMonth = (int) Json.lng(v, "month");
    verifiedDay = (int) Json.lng(v, "day");
  }
}
