package dev.deferred.emulator.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues RS256 ID tokens shaped like the ones Google issues to service accounts, signed with an RSA
 * key generated when the emulator starts, and describes that key as a JWKS.
 *
 * <p>Tokens are cached per (email, audience) and reissued five minutes before they expire, as
 * Google's token service does, so signing never dominates dispatch cost. {@code iat}/{@code exp}
 * use the real wall clock, not the emulator clock: the verifier compares them with its own time.
 */
public final class OidcSigner {
  /** The issuer Google puts in service-account ID tokens. */
  public static final String ISSUER = "https://accounts.google.com";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final long LIFETIME_SECONDS = 3600;

  /** Generated in the background: RSA key generation takes seconds on a busy machine. */
  private final CompletableFuture<KeyPair> keyPair;

  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String token, long refreshAfterEpochSecond) {}

  public OidcSigner() {
    this.keyPair = CompletableFuture.supplyAsync(OidcSigner::generate, OidcSigner::daemon);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "cloud-tasks-emulator-keygen");
    t.setDaemon(true);
    t.start();
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JDK cannot generate an RSA key for OIDC tokens", e);
    }
  }

  private KeyPair keys() {
    return keyPair.join();
  }

  /** The {@code kid} of the signing key: a digest of the public key. */
  public String keyId() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys().getPublic().getEncoded());
      return HexFormat.of().formatHex(digest, 0, 20);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An ID token for a service account.
   *
   * @param email the service account email ({@code email} claim)
   * @param audience the {@code aud} claim: the task's audience, or else its URL
   * @return a compact JWS
   */
  public String token(String email, String audience) {
    long now = System.currentTimeMillis() / 1000;
    String key = email + '\u0000' + audience;
    Cached c = cache.get(key);
    if (c != null && now < c.refreshAfterEpochSecond()) {
      return c.token();
    }
    String token = sign(email, audience, now);
    cache.put(key, new Cached(token, now + LIFETIME_SECONDS - 300));
    return token;
  }

  private String sign(String email, String audience, long now) {
    String sub = subject(email);
    String header = "{\"alg\":\"RS256\",\"kid\":\"" + keyId() + "\",\"typ\":\"JWT\"}";
    String claims =
        "{\"aud\":"
            + Json.string(audience)
            + ",\"azp\":"
            + Json.string(sub)
            + ",\"email\":"
            + Json.string(email)
            + ",\"email_verified\":true"
            + ",\"exp\":"
            + (now + LIFETIME_SECONDS)
            + ",\"iat\":"
            + now
            + ",\"iss\":"
            + Json.string(ISSUER)
            + ",\"sub\":"
            + Json.string(sub)
            + "}";
    String signingInput =
        B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys().getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Signing an OIDC token failed", e);
    }
  }

  /**
   * Google identifies a service account by a 21-digit numeric id in {@code sub} and {@code azp};
   * the emulator derives a stable one from the email.
   */
  static String subject(String email) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
      String digits = new BigInteger(1, d).toString().substring(0, 20);
      return "1" + digits;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWKS document served at {@code /oauth2/v3/certs}. */
  public String jwks() {
    RSAPublicKey pub = (RSAPublicKey) keys().getPublic();
    return "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\""
        + keyId()
        + "\",\"n\":\""
        + B64.encodeToString(unsigned(pub.getModulus()))
        + "\",\"e\":\""
        + B64.encodeToString(unsigned(pub.getPublicExponent()))
        + "\"}]}";
  }

  /** The OpenID discovery document served at {@code /.well-known/openid-configuration}. */
  public String discovery(String jwksUri) {
    return "{\"issuer\":"
        + Json.string(ISSUER)
        + ",\"jwks_uri\":"
        + Json.string(jwksUri)
        + ",\"response_types_supported\":[\"id_token\"]"
        + ",\"subject_types_supported\":[\"public\"]"
        + ",\"id_token_signing_alg_values_supported\":[\"RS256\"]"
        + ",\"claims_supported\":[\"aud\",\"azp\",\"email\",\"email_verified\",\"exp\",\"iat\","
        + "\"iss\",\"sub\"]}";
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      byte[] t = new byte[b.length - 1];
      System.arraycopy(b, 1, t, 0, t.length);
      return t;
    }
    return b;
  }
}
