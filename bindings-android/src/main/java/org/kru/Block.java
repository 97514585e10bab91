package org.kru;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A block of a lesson page; switch on {@link #type}. Fields that do not apply to the type are
 * null (lists: empty).
 */
public final class Block {
  /** The kinds of block, with the engine's names. */
  public enum Type {
    HEADING("heading"),
    PARAGRAPH("paragraph"),
    LIST("list"),
    EMPHASIS("emphasis"),
    KEY_MESSAGE("key-message"),
    IMAGE("image"),
    STORY("story"),
    RESOURCE("resource");

    /** The engine's name, e.g. {@code key-message}. */
    public final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    static Type of(String name) {
      for (Type t : values()) {
        if (t.wireName.equals(name)) {
          return t;
        }
      }
      throw Json.shape("block type", "a known block type", name);
    }
  }

  public final Type type;
  /** HEADING, PARAGRAPH, EMPHASIS: the text. */
  public final Label text;
  /** LIST: the entries. */
  public final List<Label> entries;
  /** KEY_MESSAGE: the objective id. */
  public final String objective;
  /** KEY_MESSAGE: the message; STORY: the story's title. */
  public final Label title;
  /** KEY_MESSAGE: its explanation. */
  public final Label summary;
  /** IMAGE: the path in the pack's media folder. */
  public final String src;
  /** IMAGE: the alternative text. */
  public final Label alt;
  /** STORY: the story id. */
  public final String story;
  /** RESOURCE: the help service. */
  public final Resource resource;

  Block(Map<String, Object> m) {
    type = Type.of(Json.str(m, "type"));
    text = has(m, "text") ? Label.of(m.get("text"), "text") : null;
    entries = has(m, "entries") ? Label.list(m.get("entries"), "entries") : Collections.emptyList();
    objective = type == Type.KEY_MESSAGE ? Json.str(m, "objective") : null;
    title = has(m, "title") ? Label.of(m.get("title"), "title") : null;
    summary = has(m, "summary") ? Label.of(m.get("summary"), "summary") : null;
    src = type == Type.IMAGE ? Json.str(m, "src") : null;
    alt = has(m, "alt") ? Label.of(m.get("alt"), "alt") : null;
    story = type == Type.STORY ? Json.str(m, "story") : null;
    resource = type == Type.RESOURCE ? new Resource(m) : null;
  }

  private static boolean has(Map<String, Object> m, String key) {
    return m.get(key) != null;
  }
}
