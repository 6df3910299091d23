package dev.deferred.impl.handler.security;

import static dev.deferred.impl.handler.security.TestTokens.b64;
import static dev.deferred.impl.handler.security.TestTokens.header;
import static dev.deferred.impl.handler.security.TestTokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.impl.handler.security.AuthenticationResult.Rejected;
import dev.deferred.impl.handler.security.AuthenticationResult.Verified;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OidcTokenAuthenticatorTest {
  private static final String AUDIENCE = "https://app.example.com/_ah/queue/deferred";
  private static final String SERVICE_ACCOUNT = "tasks@demo-project.iam.gserviceaccount.com";
  private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");

  private static KeyPair current;
  private static KeyPair next;
  private static KeyPair stranger;

  private JwksServer jwks;
  private MutableClock clock;
  private JwksKeySource keys;
  private OidcTokenAuthenticator authenticator;

  @BeforeAll
  static void generateKeys() {
    current = TestTokens.rsaKeyPair(2048);
    next = TestTokens.rsaKeyPair(2048);
    stranger = TestTokens.rsaKeyPair(2048);
  }

  @BeforeEach
  void startKeyServer() {
    jwks = new JwksServer();
    jwks.publish(TestTokens.jwks(Map.of("k1", (RSAPublicKey) current.getPublic())));
    clock = new MutableClock(NOW);
    keys = new JwksKeySource(jwks.uri(), HttpClient.newHttpClient(), clock, Duration.ofSeconds(30));
    authenticator =
        new OidcTokenAuthenticator(OidcSettings.google(AUDIENCE, SERVICE_ACCOUNT), keys, clock);
  }

  @AfterEach
  void stopKeyServer() {
    jwks.close();
  }

  private static JsonObjectBuilder claims() {
    return Json.createObjectBuilder()
        .add("iss", "https://accounts.google.com")
        .add("aud", AUDIENCE)
        .add("azp", "1234567890")
        .add("sub", "1234567890")
        .add("email", SERVICE_ACCOUNT)
        .add("email_verified", true)
        .add("iat", NOW.getEpochSecond() - 10)
        .add("exp", NOW.getEpochSecond() + 3590);
  }

  private static String token(JsonObject claims) {
    return rs256(header("k1").build(), claims, current.getPrivate());
  }

  private AuthenticationResult authenticateBearer(String token) {
    return authenticate("Bearer " + token);
  }

  private AuthenticationResult authenticate(String authorization) {
    Function<String, String> headers = name -> name.equals("Authorization") ? authorization : null;
    return authenticator.authenticate(headers);
  }

  private static String reason(AuthenticationResult result) {
    assertThat(result).isInstanceOf(Rejected.class);
    return ((Rejected) result).reason();
  }

  @Test
  void tokenSignedByPublishedKeyWithExpectedClaimsIsVerified() {
    assertThat(authenticateBearer(token(claims().build())))
        .isEqualTo(new Verified("OIDC token of " + SERVICE_ACCOUNT));
  }

  @Test
  void issuerWithoutSchemeIsVerifiedBecauseGoogleUsesBothForms() {
    assertThat(authenticateBearer(token(claims().add("iss", "accounts.google.com").build())))
        .isInstanceOf(Verified.class);
  }

  @Test
  void audienceListNamingUsIsVerified() {
    var aud = Json.createArrayBuilder().add("https://other.example.com").add(AUDIENCE);
    assertThat(authenticateBearer(token(claims().add("aud", aud).build())))
        .isInstanceOf(Verified.class);
  }

  @Test
  void bearerSchemeIsCaseInsensitive() {
    assertThat(authenticate("bearer " + token(claims().build()))).isInstanceOf(Verified.class);
  }

  @Test
  void missingAuthorizationIsRejected() {
    assertThat(reason(authenticator.authenticate(name -> null)))
        .isEqualTo(
            "DEFERRED-2010: no Authorization header: Cloud Tasks sends 'Authorization: Bearer <OIDC"
                + " token>' when the task's HTTP target has an oidc_token");
  }

  @Test
  void basicAuthorizationIsRejected() {
    assertThat(reason(authenticate("Basic dXNlcjpwYXNz")))
        .isEqualTo("DEFERRED-2011: the Authorization header is not a Bearer token");
  }

  @Test
  void tamperedClaimsAreRejected() {
    String[] parts = token(claims().build()).split("\\.");
    String forgedClaims = b64(claims().add("email", "attacker@evil.example").build());
    assertThat(reason(authenticateBearer(parts[0] + "." + forgedClaims + "." + parts[2])))
        .isEqualTo("DEFERRED-2015: token signature does not verify with key 'k1'");
  }

  @Test
  void tamperedSignatureIsRejected() {
    String[] parts = token(claims().build()).split("\\.");
    byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[2]);
    sig[sig.length / 2] ^= 0x01;
    assertThat(reason(authenticateBearer(parts[0] + "." + parts[1] + "." + b64(sig))))
        .isEqualTo("DEFERRED-2015: token signature does not verify with key 'k1'");
  }

  @Test
  void truncatedSignatureIsRejected() {
    String[] parts = token(claims().build()).split("\\.");
    byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[2]);
    byte[] shorter = java.util.Arrays.copyOf(sig, sig.length - 1);
    assertThat(reason(authenticateBearer(parts[0] + "." + parts[1] + "." + b64(shorter))))
        .startsWith("DEFERRED-2015:");
  }

  @Test
  void tokenSignedByUnpublishedKeyUnderPublishedKidIsRejected() {
    String forged = rs256(header("k1").build(), claims().build(), stranger.getPrivate());
    assertThat(reason(authenticateBearer(forged))).startsWith("DEFERRED-2015:");
  }

  @Test
  void wrongAudienceIsRejected() {
    assertThat(
            reason(authenticateBearer(token(claims().add("aud", "https://evil.example").build()))))
        .isEqualTo(
            "DEFERRED-2017: token audience '\"https://evil.example\"' is not the expected '"
                + AUDIENCE
                + "'");
  }

  @Test
  void audienceListNotNamingUsIsRejected() {
    JsonObject others =
        claims()
            .add("aud", Json.createArrayBuilder().add("https://other.example.com/").add(42))
            .build();
    assertThat(reason(authenticateBearer(token(others)))).startsWith("DEFERRED-2017:");
  }

  @Test
  void emailVerifiedAsTheStringTrueIsVerifiedAndAsAnyOtherStringIsRejected() {
    assertThat(authenticateBearer(token(claims().add("email_verified", "true").build())))
        .isInstanceOf(Verified.class);
    assertThat(reason(authenticateBearer(token(claims().add("email_verified", "false").build()))))
        .startsWith("DEFERRED-2019:");
  }

  @Test
  void missingAudienceIsRejected() {
    assertThat(reason(authenticateBearer(token(claims().remove("aud").build()))))
        .startsWith("DEFERRED-2017:");
  }

  @Test
  void wrongIssuerIsRejected() {
    assertThat(
            reason(
                authenticateBearer(
                    token(claims().add("iss", "https://issuer.evil.example").build()))))
        .startsWith("DEFERRED-2016: token issuer '\"https://issuer.evil.example\"' is not one of");
  }

  @Test
  void otherAccountOfTheSameIssuerIsRejected() {
    // Any Google account can obtain a Google-signed token for any audience: only the email check
    // stops it.
    assertThat(
            reason(authenticateBearer(token(claims().add("email", "someone@gmail.com").build()))))
        .isEqualTo(
            "DEFERRED-2018: token email '\"someone@gmail.com\"' is not the expected service account '"
                + SERVICE_ACCOUNT
                + "'");
  }

  @Test
  void unverifiedEmailIsRejected() {
    assertThat(reason(authenticateBearer(token(claims().add("email_verified", false).build()))))
        .isEqualTo("DEFERRED-2019: token email_verified is 'false', not true");
  }

  @Test
  void expiredTokenIsRejected() {
    long exp = NOW.getEpochSecond() - 61;
    assertThat(reason(authenticateBearer(token(claims().add("exp", exp).build()))))
        .isEqualTo(
            "DEFERRED-2020: token expired at %d (now %d, clock skew PT1M)"
                .formatted(exp, NOW.getEpochSecond()));
  }

  @Test
  void tokenExpiredWithinClockSkewIsVerified() {
    long exp = NOW.getEpochSecond() - 30;
    assertThat(authenticateBearer(token(claims().add("exp", exp).build())))
        .isInstanceOf(Verified.class);
  }

  @Test
  void tokenBecomesRejectedOnceTheClockPassesItsExpiry() {
    String token = token(claims().build());
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);
    clock.advance(Duration.ofHours(2));
    assertThat(reason(authenticateBearer(token))).startsWith("DEFERRED-2020:");
  }

  @Test
  void tokenIssuedInTheFutureIsRejected() {
    long iat = NOW.getEpochSecond() + 600;
    assertThat(reason(authenticateBearer(token(claims().add("iat", iat).build()))))
        .startsWith("DEFERRED-2021:");
  }

  @Test
  void tokenNotYetValidIsRejected() {
    long nbf = NOW.getEpochSecond() + 600;
    assertThat(reason(authenticateBearer(token(claims().add("nbf", nbf).build()))))
        .startsWith("DEFERRED-2022:");
  }

  @Test
  void tokenWithoutExpiryIsRejected() {
    assertThat(reason(authenticateBearer(token(claims().remove("exp").build()))))
        .isEqualTo("DEFERRED-2012: malformed token: no numeric 'exp' claim");
  }

  @Test
  void unknownKeyIdIsRejected() {
    String token = rs256(header("k-unknown").build(), claims().build(), stranger.getPrivate());
    assertThat(reason(authenticateBearer(token)))
        .isEqualTo(
            "DEFERRED-2014: token key id 'k-unknown' is not among the keys published at "
                + jwks.uri());
  }

  @Test
  void algNoneIsRejected() {
    JsonObject none = Json.createObjectBuilder().add("alg", "none").add("typ", "JWT").build();
    String unsigned = b64(none) + "." + b64(claims().build()) + ".";
    assertThat(reason(authenticateBearer(unsigned))).startsWith("DEFERRED-2012:");
    String withJunkSignature = b64(none) + "." + b64(claims().build()) + ".AAAA";
    assertThat(reason(authenticateBearer(withJunkSignature)))
        .isEqualTo("DEFERRED-2013: token algorithm 'none' is not accepted: only RS256 is");
  }

  @Test
  void hs256SignedWithThePublicKeyIsRejected() {
    // The classic confusion: a verifier that trusts the header's alg would check this HMAC with
    // the RSA public key bytes as the secret, and accept it.
    JsonObject hs =
        Json.createObjectBuilder().add("alg", "HS256").add("typ", "JWT").add("kid", "k1").build();
    byte[] publicKeyBytes = current.getPublic().getEncoded();
    String token = TestTokens.hs256(hs, claims().build(), publicKeyBytes);
    assertThat(reason(authenticateBearer(token)))
        .isEqualTo("DEFERRED-2013: token algorithm 'HS256' is not accepted: only RS256 is");
    String pemSecret =
        TestTokens.hs256(
            hs,
            claims().build(),
            TestTokens.jwks(Map.of("k1", (RSAPublicKey) current.getPublic()))
                .getBytes(StandardCharsets.UTF_8));
    assertThat(reason(authenticateBearer(pemSecret))).startsWith("DEFERRED-2013:");
  }

  @Test
  void criticalHeaderExtensionIsRejected() {
    JsonObject header = header("k1").add("crit", Json.createArrayBuilder().add("exp")).build();
    assertThat(reason(authenticateBearer(rs256(header, claims().build(), current.getPrivate()))))
        .startsWith("DEFERRED-2025:");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "eyJhbGciOiJSUzI1NiJ9..c2ln",
        "eyJhbGciOiJSUzI1NiJ9=.e30.c2ln",
        "bm90IGpzb24.e30.c2ln",
        "W10.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln+/",
        "e30.e30.c2ln",
      })
  void malformedTokensAreRejected(String token) {
    assertThat(authenticateBearer(token)).isInstanceOf(Rejected.class);
    assertThat(reason(authenticateBearer(token))).matches("DEFERRED-201[0-3]: .*");
  }

  @Test
  void oversizedTokenIsRejectedWithoutParsing() {
    String huge = "a".repeat(20_000) + ".b.c";
    assertThat(reason(authenticateBearer(huge)))
        .isEqualTo("DEFERRED-2012: malformed token: longer than 16384 characters");
  }

  @Test
  void controlCharactersFromTheTokenDoNotReachTheLog() {
    JsonObject header =
        Json.createObjectBuilder().add("alg", "RS256\nFAKE LOG LINE").add("kid", "k1").build();
    String token = b64(header) + "." + b64(claims().build()) + ".AAAA";
    assertThat(reason(authenticateBearer(token))).doesNotContain("\n").contains("RS256?FAKE");
  }

  @Test
  void tokenWithoutKidIsVerifiedWhenTheKeySetHoldsOneKey() {
    JsonObject header = Json.createObjectBuilder().add("alg", "RS256").build();
    assertThat(authenticateBearer(rs256(header, claims().build(), current.getPrivate())))
        .isInstanceOf(Verified.class);
  }

  @Test
  void tokenWithoutKidIsRejectedWhenTheKeySetHoldsSeveralKeys() {
    jwks.publish(
        TestTokens.jwks(
            Map.of(
                "k1", (RSAPublicKey) current.getPublic(), "k2", (RSAPublicKey) next.getPublic())));
    JsonObject header = Json.createObjectBuilder().add("alg", "RS256").build();
    assertThat(reason(authenticateBearer(rs256(header, claims().build(), current.getPrivate()))))
        .startsWith("DEFERRED-2026:");
  }

  @Test
  void keysAreFetchedOnceAndCached() {
    for (int i = 0; i < 5; i++) {
      assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    }
    assertThat(jwks.requests()).isEqualTo(1);
  }

  @Test
  void authenticatorsForSeveralAudiencesShareOneKeyCache() {
    CloudTasksAuthenticator other =
        CloudTasksAuthenticators.emulator(
            OidcSettings.google("https://app.example.com/other", SERVICE_ACCOUNT), keys, clock);
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    String otherToken = token(claims().add("aud", "https://app.example.com/other").build());
    assertThat(other.authenticate(name -> "Bearer " + otherToken)).isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(1);
  }

  @Test
  void concurrentFirstRequestsFetchTheKeysOnce() throws Exception {
    int threads = 8;
    String token = token(claims().build());
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<AuthenticationResult>> results = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                  return authenticateBearer(token);
                }));
      }
      for (var result : results) {
        assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS))
            .isInstanceOf(Verified.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(jwks.requests()).isEqualTo(1);
  }

  @Test
  void keysAreFetchedAgainAfterTheServersMaxAge() {
    jwks.cacheControl("public, max-age=600, must-revalidate, no-transform");
    // Three different tokens: the same token again would be answered from the verified tokens.
    assertThat(authenticateBearer(token(claims().add("jti", "1").build())))
        .isInstanceOf(Verified.class);
    clock.advance(Duration.ofSeconds(599));
    assertThat(authenticateBearer(token(claims().add("jti", "2").build())))
        .isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(authenticateBearer(token(claims().add("jti", "3").build())))
        .isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(2);
  }

  // --- tokens verified before --------------------------------------------------------------

  @Test
  void aTokenVerifiedOnceIsAcceptedAgainWithoutASignatureCheck() {
    jwks.cacheControl("public, max-age=10");
    String token = token(claims().build());
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);
    assertThat(authenticator.verifiedTokens()).isEqualTo(1);

    // Its key leaves the key set and the set is fetched again: only a remembered token can pass.
    jwks.publish(TestTokens.jwks(Map.of("k2", (RSAPublicKey) next.getPublic())));
    clock.advance(Duration.ofSeconds(31));
    assertThat(authenticateBearer(token))
        .isEqualTo(new Verified("OIDC token of " + SERVICE_ACCOUNT));
    assertThat(authenticator.verifiedTokens()).isEqualTo(1);

    // A new token under the withdrawn key is verified in full, and refused.
    String another = token(claims().add("jti", "another").build());
    assertThat(reason(authenticateBearer(another))).startsWith("DEFERRED-2014:");
  }

  @Test
  void aRememberedTokenIsRefusedOnceExpiredAndForgotten() {
    long exp = NOW.getEpochSecond() + 600;
    String token = token(claims().add("exp", exp).build());
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);

    clock.advance(Duration.ofSeconds(600 + 59));
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);
    clock.advance(Duration.ofSeconds(1));

    assertThat(reason(authenticateBearer(token)))
        .isEqualTo(
            "DEFERRED-2020: token expired at %d (now %d, clock skew PT1M)"
                .formatted(exp, exp + 60));
    assertThat(authenticator.verifiedTokens()).isZero();
  }

  @Test
  void aRememberedTokenIsCheckedAgainstTheClockAsItIsNow() {
    long nbf = NOW.getEpochSecond() + 30;
    String token = token(claims().add("nbf", nbf).build());
    // Within the clock skew: accepted, and remembered with its nbf.
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);

    // The clock is set back (a correction): the remembered token is checked against it again.
    clock.advance(Duration.ofSeconds(-120));
    assertThat(reason(authenticateBearer(token))).startsWith("DEFERRED-2021:");
  }

  @Test
  void aTokenDifferingInOneCharacterFromARememberedOneIsVerifiedInFull() {
    String token = token(claims().build());
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);

    // The signature's first character carries its first six bits.
    int signature = token.lastIndexOf('.') + 1;
    char first = token.charAt(signature);
    String tampered =
        token.substring(0, signature) + (first == 'A' ? 'B' : 'A') + token.substring(signature + 1);

    assertThat(reason(authenticateBearer(tampered))).startsWith("DEFERRED-2015:");
    assertThat(authenticator.verifiedTokens()).isEqualTo(1);
  }

  @Test
  void refusedTokensAreNeverRemembered() {
    authenticateBearer(rs256(header("k1").build(), claims().build(), stranger.getPrivate()));
    authenticateBearer(token(claims().add("aud", "https://elsewhere.example.com/").build()));
    authenticateBearer(token(claims().add("exp", NOW.getEpochSecond() - 3600).build()));
    authenticateBearer(token(claims().add("email_verified", false).build()));
    authenticateBearer("not.a.token");

    assertThat(authenticator.verifiedTokens()).isZero();
  }

  @Test
  void atMostABoundedNumberOfTokensIsRemembered() {
    jwks.cacheControl("public, max-age=10");
    int bound = OidcTokenAuthenticator.MAX_VERIFIED_TOKENS;
    String first = token(claims().add("jti", "0").build());
    assertThat(authenticateBearer(first)).isInstanceOf(Verified.class);
    for (int i = 1; i <= bound; i++) {
      assertThat(authenticateBearer(token(claims().add("jti", Integer.toString(i)).build())))
          .isInstanceOf(Verified.class);
    }
    assertThat(authenticator.verifiedTokens()).isEqualTo(bound);

    // The oldest was dropped: with its key withdrawn, it is verified in full and refused.
    jwks.publish(TestTokens.jwks(Map.of("k2", (RSAPublicKey) next.getPublic())));
    clock.advance(Duration.ofSeconds(31));
    assertThat(reason(authenticateBearer(first))).startsWith("DEFERRED-2014:");
    String newest = token(claims().add("jti", Integer.toString(bound)).build());
    assertThat(authenticateBearer(newest)).isInstanceOf(Verified.class);
  }

  @Test
  void aTokenRememberedForOneAudienceIsNotAcceptedForAnother() {
    String token = token(claims().build());
    assertThat(authenticateBearer(token)).isInstanceOf(Verified.class);

    OidcTokenAuthenticator other =
        new OidcTokenAuthenticator(
            OidcSettings.google("https://other.example.com/_ah/queue/deferred", SERVICE_ACCOUNT),
            keys,
            clock);
    AuthenticationResult result =
        other.authenticate(name -> name.equals("Authorization") ? "Bearer " + token : null);
    assertThat(reason(result)).startsWith("DEFERRED-2017:");
  }

  @Test
  void rotatedKeyIsFoundByRefreshingOnItsUnknownKid() {
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    jwks.publish(
        TestTokens.jwks(
            Map.of(
                "k1", (RSAPublicKey) current.getPublic(), "k2", (RSAPublicKey) next.getPublic())));
    clock.advance(Duration.ofSeconds(31));
    String rotated = rs256(header("k2").build(), claims().build(), next.getPrivate());
    assertThat(authenticateBearer(rotated)).isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(2);
  }

  @Test
  void aFetchForAnUnknownKidDoesNotStallRequestsWithKnownKeys() throws Exception {
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    clock.advance(Duration.ofSeconds(31));
    java.util.concurrent.CountDownLatch release = jwks.hold();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      String unknownKid = rs256(header("k9").build(), claims().build(), next.getPrivate());
      java.util.concurrent.Future<AuthenticationResult> unknown =
          pool.submit(() -> authenticateBearer(unknownKid));
      assertThat(jwks.awaitHeldRequest()).isTrue();

      java.util.concurrent.Future<AuthenticationResult> known =
          pool.submit(() -> authenticateBearer(token(claims().build())));
      assertThat(known.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(Verified.class);
      assertThat(unknown.isDone()).isFalse();

      release.countDown();
      assertThat(reason(unknown.get(10, java.util.concurrent.TimeUnit.SECONDS)))
          .startsWith("DEFERRED-2014:");
      assertThat(jwks.requests()).isEqualTo(2);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aHugeMaxAgeIsCappedInsteadOfOverflowing() {
    jwks.cacheControl("public, max-age=9223372036854775807");
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(1);
    clock.advance(JwksKeySource.MAX_CACHE);
    assertThat(keys.key("k1")).isPresent();
    assertThat(jwks.requests()).isEqualTo(2);
  }

  @Test
  void refreshesForUnknownKidsAreRateLimited() {
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 10; i++) {
      String forged = rs256(header("forged-" + i).build(), claims().build(), stranger.getPrivate());
      assertThat(reason(authenticateBearer(forged))).startsWith("DEFERRED-2014:");
    }
    assertThat(jwks.requests()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(30));
    String forged = rs256(header("forged-x").build(), claims().build(), stranger.getPrivate());
    assertThat(reason(authenticateBearer(forged))).startsWith("DEFERRED-2014:");
    assertThat(jwks.requests()).isEqualTo(3);
  }

  @Test
  void unreachableKeyServerRejectsUntilItRecovers() {
    jwks.status(503);
    assertThat(reason(authenticateBearer(token(claims().build()))))
        .isEqualTo(
            "DEFERRED-2024: the signing keys at "
                + jwks.uri()
                + " could not be fetched (HTTP 503): check that the server can reach it");
    // Within the rate limit nothing is fetched again, however many requests arrive.
    assertThat(reason(authenticateBearer(token(claims().build())))).startsWith("DEFERRED-2024:");
    assertThat(jwks.requests()).isEqualTo(1);
    jwks.status(200);
    clock.advance(Duration.ofSeconds(30));
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
  }

  @Test
  void knownKeysKeepWorkingWhenARefreshFails() {
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    jwks.status(500);
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(
            authenticateBearer(
                token(
                    claims()
                        .add("iat", clock.instant().getEpochSecond())
                        .add("exp", clock.instant().getEpochSecond() + 3600)
                        .build())))
        .isInstanceOf(Verified.class);
    assertThat(jwks.requests()).isEqualTo(2);
  }

  @Test
  void keysBelow2048BitsAreNotTrusted() {
    KeyPair weak = TestTokens.rsaKeyPair(1024);
    jwks.publish(TestTokens.jwks(Map.of("weak", (RSAPublicKey) weak.getPublic())));
    String token = rs256(header("weak").build(), claims().build(), weak.getPrivate());
    assertThat(reason(authenticateBearer(token))).startsWith("DEFERRED-2014:");
  }

  @Test
  void nonRsaAndEncryptionKeysInTheSetAreIgnored() {
    RSAPublicKey pub = (RSAPublicKey) current.getPublic();
    String set =
        Json.createObjectBuilder()
            .add(
                "keys",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("kty", "EC")
                            .add("kid", "ec1")
                            .add("crv", "P-256"))
                    .add(Json.createObjectBuilder(TestTokens.jwk("enc", pub)).add("use", "enc"))
                    .add(TestTokens.jwk("k1", pub)))
            .build()
            .toString();
    jwks.publish(set);
    assertThat(authenticateBearer(token(claims().build()))).isInstanceOf(Verified.class);
    String enc = rs256(header("enc").build(), claims().build(), current.getPrivate());
    assertThat(reason(authenticateBearer(enc))).startsWith("DEFERRED-2014:");
  }
}
