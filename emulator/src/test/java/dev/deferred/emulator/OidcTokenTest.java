package dev.deferred.emulator;

import static dev.deferred.emulator.EmulatorTestSupport.queueName;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OAuthToken;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Task;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OIDC tokens, verified like a resource server would: discovery, JWKS, RS256 signature. */
class OidcTokenTest {
  static RecordingHandler handler;
  static CloudTasksEmulator emu;
  static CloudTasksClient client;
  static final String Q = queueName("oidc");
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    handler = new RecordingHandler();
    emu = CloudTasksEmulator.builder().project(EmulatorTestSupport.PROJECT).queue(Q).start();
    client = EmulatorTestSupport.client(emu);
  }

  @AfterAll
  static void stop() throws Exception {
    EmulatorTestSupport.close(client);
    emu.close();
    handler.close();
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return r.body();
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|[^,}]+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("No " + name + " in " + json);
    }
    return m.group(2) != null ? m.group(2) : m.group(1).trim();
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  private static String bearerOf(Task task) throws Exception {
    client.createTask(Q, task);
    String auth = handler.next().header("Authorization");
    assertThat(auth).startsWith("Bearer ");
    return auth.substring("Bearer ".length());
  }

  @Test
  void oidcTokenIsSignedByTheKeyPublishedInTheJwks() throws Exception {
    String url = handler.url("/secure").toString();
    String token =
        bearerOf(
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(url)
                        .setOidcToken(
                            OidcToken.newBuilder()
                                .setServiceAccountEmail("tasks@p.iam.gserviceaccount.com")))
                .build());
    String discovery = get(emu.httpBaseUrl() + "/.well-known/openid-configuration");
    assertThat(field(discovery, "issuer")).isEqualTo("https://accounts.google.com");
    assertThat(field(discovery, "jwks_uri")).isEqualTo(emu.jwksUri().toString());
    String jwks = get(field(discovery, "jwks_uri"));

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    String header = decode(parts[0]);
    assertThat(field(header, "alg")).isEqualTo("RS256");
    assertThat(field(header, "kid")).isEqualTo(field(jwks, "kid"));

    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, Base64.getUrlDecoder().decode(field(jwks, "n"))),
                    new BigInteger(1, Base64.getUrlDecoder().decode(field(jwks, "e")))));
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(key);
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    String claims = decode(parts[1]);
    assertThat(field(claims, "iss"))
        .isEqualTo(emu.oidcIssuer())
        .isEqualTo("https://accounts.google.com");
    assertThat(field(claims, "aud")).isEqualTo(url);
    assertThat(field(claims, "email")).isEqualTo("tasks@p.iam.gserviceaccount.com");
    assertThat(field(claims, "email_verified")).isEqualTo("true");
    assertThat(field(claims, "sub")).matches("[0-9]{21}");
    assertThat(field(claims, "azp")).isEqualTo(field(claims, "sub"));
    long iat = Long.parseLong(field(claims, "iat"));
    long exp = Long.parseLong(field(claims, "exp"));
    assertThat(exp - iat).isEqualTo(3600);
    assertThat(iat)
        .isBetween(System.currentTimeMillis() / 1000 - 600, System.currentTimeMillis() / 1000 + 5);
    assertThat(emu.awaitIdle(Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void explicitAudienceReplacesTheUrl() throws Exception {
    String token =
        bearerOf(
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(handler.url("/aud").toString())
                        .putHeaders("Authorization", "Bearer forged")
                        .setOidcToken(
                            OidcToken.newBuilder()
                                .setServiceAccountEmail("sa@p.iam.gserviceaccount.com")
                                .setAudience("https://my-service.example.com")))
                .build());
    assertThat(field(decode(token.split("\\.")[1]), "aud"))
        .isEqualTo("https://my-service.example.com");
  }

  @Test
  void oauthTokenIsAnOpaqueBearer() throws Exception {
    String token =
        bearerOf(
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(handler.url("/oauth").toString())
                        .setOauthToken(
                            OAuthToken.newBuilder()
                                .setServiceAccountEmail("sa@p.iam.gserviceaccount.com")))
                .build());
    assertThat(token).isNotBlank().doesNotContain(".");
  }
}
