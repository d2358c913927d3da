package io.berth.gateway.hostile;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.LoggerFactory;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the JVM the server runs in: the peak of direct memory (where Netty keeps request
 * bodies) and of the live heap (as the last collection left it), sampled every few milliseconds,
 * and every logged OutOfMemoryError.
 */
final class MemoryWatch implements AutoCloseable {
    private final AtomicLong peakDirect = new AtomicLong();
    private final AtomicLong peakHeap = new AtomicLong();
    private final List<String> outOfMemory = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                if (t.getClassName().contains("OutOfMemoryError")) {
                    outOfMemory.add(event.getFormattedMessage() + ": " + t.getMessage());
                }
            }
        }
    };
    private volatile boolean running = true;

    MemoryWatch() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        sampler = Thread.ofPlatform().daemon().name("memory-watch").start(() -> {
            while (running) {
                // Netty may allocate without the JDK's accounting; then it counts itself.
                peakDirect.accumulateAndGet(Math.max(direct.getMemoryUsed(), PlatformDependent.usedDirectMemory()),
                        Math::max);
                long afterGc = 0;
                for (MemoryPoolMXBean pool : heapPools) {
                    MemoryUsage usage = pool.getCollectionUsage();
                    afterGc += usage == null ? 0 : usage.getUsed();
                }
                peakHeap.accumulateAndGet(afterGc, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    long peakDirect() {
        return peakDirect.get();
    }

    long peakHeap() {
        return peakHeap.get();
    }

    List<String> outOfMemory() {
        return outOfMemory;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    }
}
