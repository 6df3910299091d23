package dev.deferred.impl.handler;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import dev.deferred.impl.testing.LibraryParts;
import dev.deferred.testing.internal.TaskHttpServer;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler reads a body only after the request is authenticated, and never more than a task can
 * carry: an unauthenticated 100 MB POST costs it nothing, an authenticated oversize one gets 413.
 */
@DeferredTest
@AddBeanClasses(Outcomes.class)
class BodyLimitTest {
  private static final long HUNDRED_MB = 100L * 1024 * 1024;

  @Inject Deferrer deferrer;

  private TaskHttpServer.Exchange delivered;

  @BeforeEach
  void deliverOneRealTask() throws Exception {
    Outcomes.ATTEMPTS.clear();
    Outcomes.EVENTS.clear();
    DeferredTestExtension.server().exchanges().clear();
    deferrer.defer(Outcomes.class, o -> o.succeed("real"));
    assertThat(Outcomes.EVENTS.poll(30, SECONDS)).isEqualTo("ok real 1");
    delivered = DeferredTestExtension.server().exchanges().poll(30, SECONDS);
    assertThat(delivered.status()).isEqualTo(200);
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void anUnauthenticatedHundredMegabyteBodyIsNotRead() {
    Map<String, String> h = headers();
    h.remove("Authorization");
    h.put("Content-Length", String.valueOf(HUNDRED_MB));
    CountingStream body = new CountingStream(HUNDRED_MB);
    TaskHandler.Response r = handle(h, body);
    assertThat(r.status()).isEqualTo(403);
    assertThat(body.read).isZero();
  }

  @Test
  void anAuthenticatedBodyDeclaredLargerThanATaskIsRefusedUnread() {
    Map<String, String> h = headers();
    h.put("Content-Length", String.valueOf(HUNDRED_MB));
    CountingStream body = new CountingStream(HUNDRED_MB);
    assertThat(handle(h, body).status()).isEqualTo(413);
    assertThat(body.read).isZero();
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(1);
  }

  @Test
  void anAuthenticatedBodyLargerThanATaskWithoutLengthIsReadOnlyUpToTheBound() {
    Map<String, String> h = headers();
    h.remove("Content-Length");
    CountingStream body = new CountingStream(HUNDRED_MB);
    assertThat(handle(h, body).status()).isEqualTo(413);
    assertThat(body.read).isEqualTo(TaskHandler.MAX_BODY_BYTES + 1L);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(1);
  }

  @Test
  void theRealDeliveryStreamedIsAccepted() {
    Map<String, String> h = headers();
    assertThat(handle(h, new java.io.ByteArrayInputStream(delivered.body())).status())
        .isEqualTo(200);
    assertThat(Outcomes.ATTEMPTS.get("real")).hasValue(2);
  }

  private Map<String, String> headers() {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(delivered.headers());
    return h;
  }

  private static TaskHandler.Response handle(Map<String, String> headers, InputStream body) {
    return LibraryParts.handler().handle(headers::get, body);
  }

  /** A body of {@code size} bytes that exists only as a count of what was read. */
  private static final class CountingStream extends InputStream {
    private final long size;
    long read;

    CountingStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - read);
      java.util.Arrays.fill(b, off, off + n, (byte) 'x');
      read += n;
      return n;
    }
  }
}
