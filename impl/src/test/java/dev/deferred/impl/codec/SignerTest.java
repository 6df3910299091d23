package dev.deferred.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The task body's signature: only a signature made with one of the configured keys over exactly
 * this body is accepted; anything else a forged or damaged request carries is refused, never an
 * error.
 */
class SignerTest {

  private static final byte[] BODY = "{\"v\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OLD =
      "old-key-old-key-old-key-old-key!".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW =
      "new-key-new-key-new-key-new-key!".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSignatureOfThisBodyIsAccepted() {
    Signer signer = new Signer(List.of(NEW));

    assertThat(signer.verify(BODY, signer.sign(BODY))).isTrue();
  }

  @Test
  void aSignatureOfAnotherBodyOrByAnotherKeyIsRefused() {
    Signer signer = new Signer(List.of(NEW));
    Signer other = new Signer(List.of(OLD));

    assertThat(signer.verify("{\"v\":3}".getBytes(StandardCharsets.UTF_8), signer.sign(BODY)))
        .isFalse();
    assertThat(signer.verify(BODY, other.sign(BODY))).isFalse();
  }

  @Test
  void aMissingSignatureOrOneWithoutItsVersionIsRefused() {
    Signer signer = new Signer(List.of(NEW));
    String valid = signer.sign(BODY);

    assertThat(signer.verify(BODY, null)).isFalse();
    assertThat(signer.verify(BODY, valid.substring("v1=".length()))).isFalse();
    assertThat(signer.verify(BODY, "v2=" + valid.substring("v1=".length()))).isFalse();
  }

  @Test
  void aSignatureThatIsNotBase64urlIsRefused() {
    Signer signer = new Signer(List.of(NEW));

    assertThat(signer.verify(BODY, "v1=not base64!")).isFalse();
    assertThat(signer.verify(BODY, "v1=")).isFalse();
  }

  @Test
  void duringARotationBothKeysAreAcceptedAndTheFirstSigns() {
    Signer rotating = new Signer(List.of(NEW, OLD));

    assertThat(rotating.verify(BODY, new Signer(List.of(OLD)).sign(BODY))).isTrue();
    assertThat(rotating.verify(BODY, new Signer(List.of(NEW)).sign(BODY))).isTrue();
    assertThat(rotating.sign(BODY)).isEqualTo(new Signer(List.of(NEW)).sign(BODY));
  }
}
