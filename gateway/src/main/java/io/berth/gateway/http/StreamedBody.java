package io.berth.gateway.http;

import io.berth.store.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A body streamed to a consumer thread ({@link BodyStream}), with the connection's reading held
 * back by two things: the consumer falling behind (the stream's high-water mark), and the
 * server's body memory budget. The connection reads only while it holds credit for one whole
 * read; each chunk spends credit, and the consumer taking the chunk gives its bytes back to the
 * budget. Without credit the connection stops reading and queues for memory.
 */
final class StreamedBody implements BodySink, BodyStream.Backpressure, BodyBudget.Waiter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedBody.class);
    private final EventExecutor loop;
    private final BodyBudget budget;
    private final Runnable readingChanged;
    private final BodyStream stream;
    private final AtomicBoolean queuedForMemory = new AtomicBoolean();
    private long credit;
    private boolean waitingForMemory;
    private boolean consumerBehind;
    private boolean done;

    /**
     * @param readingChanged called on the event loop when {@link #wantsMore()} may have turned true
     */
    StreamedBody(EventExecutor loop, BodyBudget budget, Runnable readingChanged) {
        this.loop = loop;
        this.budget = budget;
        this.readingChanged = readingChanged;
        this.stream = new BodyStream(this, budget::release);
    }

    BodyStream stream() {
        return stream;
    }

    /**
     * Runs the handler's consumer on a blocking thread; a failure is answered, and the stream is
     * closed when the consumer returns, letting go of any of the body it did not read. Returns
     * false, having answered the request, when no thread could be had (the server is stopping).
     */
    boolean startConsumer(Exchange.BodyConsumer consumer, Exchange exchange, Executor blocking) {
        try {
            blocking.execute(() -> {
                try {
                    consumer.consume(stream);
                } catch (BodyStream.BodyAbortedException e) {
                    // The client went away, or the request was answered (a timeout) without the body.
                    LOG.debug("{} {}: {}", exchange.method(), exchange.request().uri(), e.getMessage());
                } catch (Throwable t) {
                    exchange.fail(t);
                } finally {
                    stream.close();
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
            exchange.sendError(ErrorCode.UNAVAILABLE, "the registry is shutting down", null);
            return false;
        }
        return true;
    }

    /** Takes the credit for the first read. */
    void start() {
        topUp();
    }

    @Override
    public boolean wantsMore() {
        return !consumerBehind && !waitingForMemory;
    }

    @Override
    public void accept(ByteBuf content) {
        if (done) {
            return;
        }
        int bytes = content.readableBytes();
        credit -= bytes;
        if (credit < 0) {
            budget.charge(-credit);
            credit = 0;
        }
        stream.offer(content.retain());
        topUp();
    }

    @Override
    public void end() {
        if (!done) {
            done = true;
            stream.end();
            returnCredit();
        }
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            stream.close();
            returnCredit();
        }
    }

    @Override
    public boolean timeoutMeasuresPauses() {
        return true;
    }

    @Override
    public void pause() {
        consumerBehind = true;
    }

    @Override
    public void resume() {
        runOnLoop(() -> {
            consumerBehind = false;
            readingChanged.run();
        });
    }

    @Override
    public void memoryFreed() {
        queuedForMemory.set(false);
        runOnLoop(() -> {
            if (done || !waitingForMemory) {
                budget.wakeOne(); // not waiting any more: pass the wakeup on
                return;
            }
            topUp();
            if (!waitingForMemory) {
                budget.wakeOne(); // there may be room for the next one too
                readingChanged.run();
            }
        });
    }

    /** Makes sure one whole read is covered, or queues for memory. */
    private void topUp() {
        if (done || credit >= BodyBudget.READ_SIZE) {
            return;
        }
        long wanted = BodyBudget.READ_SIZE - credit;
        if (budget.tryAcquire(wanted, false)) {
            credit += wanted;
            waitingForMemory = false;
            return;
        }
        waitingForMemory = true;
        if (queuedForMemory.compareAndSet(false, true)) {
            budget.await(this);
        }
        if (budget.tryAcquire(wanted, false)) { // memory freed before we were queued woke no one
            credit += wanted;
            waitingForMemory = false;
        }
    }

    private void returnCredit() {
        waitingForMemory = false;
        budget.release(credit);
        credit = 0;
    }

    private void runOnLoop(Runnable task) {
        EventLoops.run(loop, task, budget::wakeOne); // the server is stopping: someone else may use the wakeup
    }
}
