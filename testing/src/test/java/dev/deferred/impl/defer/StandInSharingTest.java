package dev.deferred.impl.defer;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.DeferOptions;
import dev.deferred.Deferrer;
import dev.deferred.impl.testing.DeferredTest;
import dev.deferred.impl.testing.DeferredTestExtension;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One recording stand-in per bean type serves every defer: what one call or one thread records must
 * never show in another's.
 */
@DeferredTest(config = {"deferred.queues.reports.rate-per-second=500"})
@AddBeanClasses(ReportService.class)
class StandInSharingTest {

  private static final int THREADS = 16;
  private static final int CALLS = 300;

  @Inject Deferrer deferrer;
  private DeferrerImpl recorder;

  @BeforeEach
  void clear() {
    ReportService.RUNS.clear();
    recorder = CDI.current().select(DeferrerImpl.class).get();
  }

  @AfterEach
  void settle() {
    DeferredTestExtension.awaitIdle();
  }

  @Test
  void concurrentRecordingsOnTheSharedStandInEachGetTheirOwnCall() throws Exception {
    Set<Object> standIns = ConcurrentHashMap.newKeySet();
    List<String> wrong = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < CALLS; i++) {
                    long id = thread * 100_000L + i;
                    YearMonth month = YearMonth.of(2000 + thread, 1 + i % 12);
                    CallRecorder.Call call;
                    Object[] expected;
                    String method;
                    switch (i % 3) {
                      case 0 -> {
                        call =
                            recorder.record(
                                ReportService.class,
                                r -> {
                                  standIns.add(r);
                                  r.generate(id, month);
                                });
                        expected = new Object[] {id, month};
                        method = "generate";
                      }
                      case 1 -> {
                        ReportService.Report report = new ReportService.Report(id, month);
                        call = recorder.record(ReportService.class, r -> r.count(report));
                        expected = new Object[] {report};
                        method = "count";
                      }
                      default -> {
                        ReportService.Recipient recipient = new ReportService.Recipient("r-" + id);
                        call = recorder.record(ReportService.class, r -> r.mail(recipient));
                        expected = new Object[] {recipient};
                        method = "mail";
                      }
                    }
                    if (!call.method().getName().equals(method)
                        || !Arrays.equals(call.arguments(), expected)) {
                      wrong.add(
                          "thread "
                              + thread
                              + " call "
                              + i
                              + " expected "
                              + method
                              + Arrays.toString(expected)
                              + " but recorded "
                              + call.method().getName()
                              + Arrays.toString(call.arguments()));
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(wrong).isEmpty();
    // one stand-in served all of them (the cache this test is about is in use)
    assertThat(standIns).hasSize(1);
  }

  @Test
  void aRecordingThatFailsLeavesNothingForTheNextOne() {
    assertThatThrownBy(
            () ->
                recorder.record(
                    ReportService.class,
                    r -> {
                      r.generate(1L, YearMonth.of(2026, 1));
                      throw new IllegalStateException("the lambda failed");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the lambda failed");
    assertThatThrownBy(
            () ->
                recorder.record(
                    ReportService.class,
                    r -> {
                      r.generate(2L, YearMonth.of(2026, 2));
                      r.generate(3L, YearMonth.of(2026, 3));
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it called 2");

    CallRecorder.Call call =
        recorder.record(ReportService.class, r -> r.generate(4L, YearMonth.of(2026, 4)));

    assertThat(call.method().getName()).isEqualTo("generate");
    assertThat(call.arguments()).containsExactly(4L, YearMonth.of(2026, 4));
  }

  @Test
  void aStandInKeptPastItsDeferRefusesCallsThoughItIsShared() {
    List<ReportService> kept = new ArrayList<>();
    recorder.record(
        ReportService.class,
        r -> {
          kept.add(r);
          r.generate(5L, YearMonth.of(2026, 5));
        });

    assertThatThrownBy(() -> kept.get(0).generate(6L, YearMonth.of(2026, 6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called outside Deferrer.defer");
    // and the shared stand-in still records the next defer
    assertThat(
            recorder
                .record(ReportService.class, r -> r.generate(7L, YearMonth.of(2026, 7)))
                .arguments())
        .containsExactly(7L, YearMonth.of(2026, 7));
  }

  @Test
  void concurrentDefersRunEachWithItsOwnArguments() throws Exception {
    int threads = 8;
    int perThread = 5;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<Long> expected = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    long id = thread * 1_000L + i;
                    expected.add(id);
                    deferrer.defer(
                        ReportService.class,
                        r -> r.generate(id, YearMonth.of(2030, 1 + thread)),
                        DeferOptions.queue("reports"));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<ReportService.Run> runs = new ArrayList<>();
    for (int i = 0; i < threads * perThread; i++) {
      ReportService.Run run = ReportService.RUNS.poll(60, SECONDS);
      assertThat(run).as("run %d of %d", i + 1, threads * perThread).isNotNull();
      runs.add(run);
    }
    assertThat(runs)
        .extracting(ReportService.Run::customerId)
        .containsExactlyInAnyOrderElementsOf(expected);
    for (ReportService.Run run : runs) {
      // the month was recorded with the id by the same thread
      assertThat(run.month()).isEqualTo(YearMonth.of(2030, 1 + (int) (run.customerId() / 1_000L)));
    }
  }
}
