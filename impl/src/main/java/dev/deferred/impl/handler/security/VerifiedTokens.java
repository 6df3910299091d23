package dev.deferred.impl.handler.security;

import dev.deferred.impl.codec.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens one {@link OidcTokenAuthenticator} has verified in full, by the SHA-256 of their exact
 * text, with the times they are valid between. A token whose text matches an entry byte for byte
 * was signed by a trusted key and carries the right issuer, audience and account; only its times
 * are checked again. A token that differs in any byte has another digest and is verified in full.
 *
 * <p>Bounded: past {@code capacity} entries, the oldest is dropped. Only tokens that passed every
 * check enter, so forged tokens can neither fill it nor push genuine ones out.
 */
final class VerifiedTokens {

  /** The time claims of a verified token, in epoch seconds ({@code nbf} may be absent). */
  record Validity(long issuedAt, long expires, long notBefore) {
    static final long NO_NOT_BEFORE = Long.MIN_VALUE;
  }

  private final Map<Digest, Validity> entries;

  VerifiedTokens(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.entries =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Digest, Validity> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The SHA-256 of the token's text. */
  static byte[] digest(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The validity of a verified token with this digest, or null. */
  synchronized Validity get(byte[] digest) {
    return entries.get(new Digest(digest));
  }

  synchronized void put(byte[] digest, Validity validity) {
    entries.put(new Digest(digest), validity);
  }

  synchronized void remove(byte[] digest) {
    entries.remove(new Digest(digest));
  }

  synchronized int size() {
    return entries.size();
  }

  /** A digest as a map key; equal only to the same bytes, compared in constant time. */
  private record Digest(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Digest other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Digest";
    }
  }
}
