package dev.deferred.impl.codec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the task body. Signs with the first key and accepts a signature by any key, so
 * keys can be rotated: add the new key first, deploy, and drop the old one once no task signed with
 * it can still be queued.
 */
public final class Signer {

  /** The request header that carries the signature. */
  public static final String HEADER = "X-Deferred-Signature";

  private static final String ALGORITHM = "HmacSHA256";
  private static final String PREFIX = "v1=";

  private final List<byte[]> keys;

  /**
   * One initialised MAC per key, cloned for each use: {@code Mac.getInstance} and {@code init}
   * search the security providers and expand the key on every call, which costs more than the HMAC
   * of a small body.
   */
  private final List<Mac> prototypes;

  public Signer(List<byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("At least one signing key is required");
    }
    this.keys = keys.stream().map(byte[]::clone).toList();
    this.prototypes = this.keys.stream().map(Signer::newMac).toList();
  }

  /** A signer with one random key, for embedded mode where one process signs and verifies. */
  public static Signer random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new Signer(List.of(key));
  }

  /** The header value for {@code body}. */
  public String sign(byte[] body) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(0, body));
  }

  /** Whether {@code signature} is a valid header value for {@code body} under any key. */
  public boolean verify(byte[] body, String signature) {
    if (signature == null || !signature.startsWith(PREFIX)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(signature.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean ok = false;
    // Check every key, so the time taken does not tell which one matched.
    for (int i = 0; i < keys.size(); i++) {
      ok |= MessageDigest.isEqual(mac(i, body), given);
    }
    return ok;
  }

  private byte[] mac(int key, byte[] body) {
    Mac mac;
    try {
      mac = (Mac) prototypes.get(key).clone();
    } catch (CloneNotSupportedException e) {
      // A provider whose MAC cannot be cloned: a new one for this call.
      mac = newMac(keys.get(key));
    }
    return mac.doFinal(body);
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    // Never print key material.
    return "Signer[" + keys.size() + " key(s)]";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
