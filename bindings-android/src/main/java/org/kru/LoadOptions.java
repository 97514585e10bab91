package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How {@link Pack#load} checks a pack: the publishers' public keys the app trusts, and
 * (development only) whether unsigned packs are accepted. Like the JS API's {@code
 * LoadOptions}.
 */
public final class LoadOptions {
  private final List<byte[]> keys = new ArrayList<>();
  private final List<String> hexKeys = new ArrayList<>();
  private boolean allowUnsigned;

  /** Trusts packs signed by this Ed25519 public key: 32 raw bytes. */
  public LoadOptions trustKey(byte[] publicKey) {
    Session.notNull(publicKey, "publicKey");
    keys.add(publicKey.clone());
    return this;
  }

  /**
   * Trusts packs signed by this public key written in hex: the contents of the {@code .pub}
   * file {@code kru keygen} writes (64 hex digits; surrounding whitespace is ignored).
   */
  public LoadOptions trustKeyHex(String hex) {
    Session.notNull(hex, "hex");
    hexKeys.add(hex);
    return this;
  }

  /**
   * Development only: also accept unsigned packs. A pack that is signed must still verify.
   * Never in the field.
   */
  public LoadOptions allowUnsigned(boolean allow) {
    this.allowUnsigned = allow;
    return this;
  }

  List<byte[]> keys() {
    return Collections.unmodifiableList(keys);
  }

  List<String> hexKeys() {
    return Collections.unmodifiableList(hexKeys);
  }

  boolean allowUnsigned() {
    return allowUnsigned;
  }
}
