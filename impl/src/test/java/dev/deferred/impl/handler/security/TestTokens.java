package dev.deferred.impl.handler.security;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints real RS256 tokens with real RSA keys, the way Google and the emulator do. */
final class TestTokens {
  private TestTokens() {}

  static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(JsonObject json) {
    return b64(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject jwk(String kid, RSAPublicKey key) {
    return Json.createObjectBuilder()
        .add("kty", "RSA")
        .add("alg", "RS256")
        .add("use", "sig")
        .add("kid", kid)
        .add("n", b64(unsigned(key.getModulus().toByteArray())))
        .add("e", b64(unsigned(key.getPublicExponent().toByteArray())))
        .build();
  }

  static String jwks(Map<String, RSAPublicKey> keys) {
    var array = Json.createArrayBuilder();
    keys.forEach((kid, key) -> array.add(jwk(kid, key)));
    return Json.createObjectBuilder().add("keys", array).build().toString();
  }

  static String rs256(JsonObject header, JsonObject claims, PrivateKey key) {
    String input = b64(header) + "." + b64(claims);
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hs256(JsonObject header, JsonObject claims, byte[] secret) {
    String input = b64(header) + "." + b64(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObjectBuilder header(String kid) {
    return Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").add("kid", kid);
  }

  private static byte[] unsigned(byte[] twosComplement) {
    if (twosComplement.length > 1 && twosComplement[0] == 0) {
      byte[] out = new byte[twosComplement.length - 1];
      System.arraycopy(twosComplement, 1, out, 0, out.length);
      return out;
    }
    return twosComplement;
  }
}
