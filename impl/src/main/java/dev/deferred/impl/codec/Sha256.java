package dev.deferred.impl.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of bytes: the stored payloads' checksums and the remembered OIDC tokens' keys. */
public final class Sha256 {

  private Sha256() {}

  /** The 32-byte SHA-256 of {@code bytes}. */
  public static byte[] of(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
