package io.berth.store.meta;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Database work beyond the pool and its bounded queue is refused at once with 503 and Retry-After. */
class AdmissionTest {
    @Test
    void workBeyondConcurrencyAndQueue_isRefusedWithUnavailableAndRetryAfter() throws Exception {
        Admission admission = new Admission(1, 1, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> holder = threads.submit(() -> admission.run(() -> {
                running.countDown();
                await(release);
                return "first";
            }));
            running.await();
            Future<String> queued = threads.submit(() -> admission.run(() -> "queued"));
            waitUntil(() -> admission.waiting() == 1);

            RegistryException refused = assertThrows(RegistryException.class, () -> admission.run(() -> "third"));

            assertEquals(ErrorCode.UNAVAILABLE, refused.code());
            assertEquals(503, refused.code().status());
            assertEquals("1", refused.headers().get("Retry-After"));
            release.countDown();
            assertEquals("first", holder.get());
            assertEquals("queued", queued.get(), "a queued unit runs once a permit frees up");
        }
    }

    @Test
    void queuedWorkThatWaitsTooLong_isRefused() throws Exception {
        Admission admission = new Admission(1, 5, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> admission.run(() -> {
            running.countDown();
            await(release);
            return null;
        }));
        running.await();

        RegistryException refused = assertThrows(RegistryException.class, () -> admission.run(() -> "late"));

        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        release.countDown();
        holder.get();
        assertEquals("now", admission.run(() -> "now"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertEquals(true, condition.getAsBoolean(), "condition not reached");
    }
}
